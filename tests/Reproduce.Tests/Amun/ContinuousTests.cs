using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Amun;

/// <summary>
/// AMUN §6.3 (Fig. 2) at ci scale: five consecutive requests of 2% of D (40 images each), every method at the rate tuned
/// for the 10% forget share, RMIA (8 reference models) after each request.
/// </summary>
public class ContinuousTests
{
    public static TheoryData<string> Settings => ClaimRuns.Variants("A.F2.continuous", v => !v.Contains("with D_R"));

    [Fact, Claim("A.F2.continuous"), Scale("ci")]
    public void With_D_R_over_consecutive_requests_AMUN_A_and_AMUN_keep_D_F_closest_to_unseen_data() =>
        Shared.Claims.Run("A.F2.continuous", "with D_R, 5 × 2%").Verify(GetType());

    [Theory, Claim("A.F2.continuous"), Scale("ci")]
    [MemberData(nameof(Settings))]
    public void Over_consecutive_requests_AMUN_A_and_AMUN_keep_D_F_closest_to_unseen_data(string variant) =>
        Shared.Claims.Run("A.F2.continuous", variant).Verify(GetType());
}
