using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Amun;

/// <summary>
/// AMUN Table 3 at ci scale: the ci scenario on a SmallCnn whose convolutional and fully-connected layers are clipped to
/// operator norm 1 (original, RMIA reference and retrained models alike); AMUN without D_R, tuned like the other rows,
/// should leave RMIA's FT AUC at the retrained model's.
/// </summary>
public class Table3Tests
{
    public static TheoryData<string> Variants => ClaimRuns.Variants("A.T3.lipschitz", v => !v.Contains("50%"));

    [Theory, Claim("A.T3.lipschitz"), Scale("ci")]
    [MemberData(nameof(Variants))]
    public void On_1_Lipschitz_models_AMUN_leaves_the_forget_set_as_unseen_as_retraining(string variant) =>
        Shared.Claims.Run("A.T3.lipschitz", variant).Verify(GetType());

    [Fact,
     Claim("A.T3.lipschitz"), Scale("ci")]
    public void On_1_Lipschitz_models_AMUN_on_half_of_D_leaves_the_forget_set_as_unseen_as_retraining() =>
        Shared.Claims.Run("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 50%").Verify(GetType());
}
