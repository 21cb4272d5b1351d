using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Amun;

/// <summary>
/// AMUN Tables 1 and 2 at ci scale (<see cref="Unlearning.Claims.AmunTables1And2"/>): embedded Fashion-MNIST (2,000 train / 1,000 test), SmallCnn
/// fitted to 100% train accuracy, RMIA with 8 reference models, random forget sets of 10% and 50%, every method
/// fine-tuned 5 epochs at the rate tuned on a separate forget draw; Avg Gap against the retrained model.
/// </summary>
public class Table1Tests
{
    public static TheoryData<string> WithRetain => ClaimRuns.Variants("A.T1.avg-gap");

    public static TheoryData<string> ForgetOnly => ClaimRuns.Variants("A.T2.avg-gap", v => !v.Contains("50%"));

    public static TheoryData<string> FtAuc => ClaimRuns.Variants("A.T1.ft-auc", v => !v.Contains("50%"));

    public static TheoryData<string> Mis => ClaimRuns.Variants("A.T10-11.mis", v => !v.Contains("with D_R"));

    [Theory, Claim("A.T1.avg-gap"), Claim("A.T1-2.values"), Scale("ci")]
    [MemberData(nameof(WithRetain))]
    public void With_D_R_AMUN_has_the_lowest_avg_gap(string variant) =>
        Shared.Claims.Run("A.T1.avg-gap", variant).Verify(GetType());

    [Theory, Claim("A.T2.avg-gap"), Claim("A.T1-2.values"), Scale("ci")]
    [MemberData(nameof(ForgetOnly))]
    public void Without_D_R_AMUN_and_AMUN_SalUn_beat_the_baselines(string variant) =>
        Shared.Claims.Run("A.T2.avg-gap", variant).Verify(GetType());

    [Fact,
     Claim("A.T2.avg-gap"), Claim("A.T1-2.values"), Scale("ci")]
    public void Without_D_R_on_50_percent_AMUN_and_AMUN_SalUn_beat_the_baselines() =>
        Shared.Claims.Run("A.T2.avg-gap", "D_F only, forget 50%").Verify(GetType());

    [Theory, Claim("A.T1.ft-auc"), Scale("ci")]
    [MemberData(nameof(FtAuc))]
    public void After_AMUN_RMIA_cannot_tell_the_forget_set_from_the_test_set(string variant) =>
        Shared.Claims.Run("A.T1.ft-auc", variant).Verify(GetType());

    [Fact, Claim("A.T10-11.mis"), Scale("ci")]
    public void With_MIS_and_D_R_AMUN_still_has_the_lowest_avg_gap() =>
        Shared.Claims.Run("A.T10-11.mis", "with D_R, forget 10%").Verify(GetType());

    [Fact, Scale("ci")]
    public void After_AMUN_on_half_of_D_RMIA_cannot_tell_the_forget_set_from_the_test_set() =>
        Shared.Claims.Run("A.T1.ft-auc", "with D_R, forget 50%").Verify(GetType());

    [Theory, Claim("A.T10-11.mis"), Scale("ci")]
    [MemberData(nameof(Mis))]
    public void With_MIS_as_the_attack_AMUN_still_has_the_lowest_avg_gap(string variant) =>
        Shared.Claims.Run("A.T10-11.mis", variant).Verify(GetType());
}
