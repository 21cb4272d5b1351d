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
    public static TheoryData<string> Variants => ClaimRuns.Variants("A.T3.lipschitz");

    [Theory(Skip = "deviates: " + AmunSuite.LipschitzDeviation + " Measured (3 runs each): forget 10% — original FT AUC 79.78, retrained 51.96, " +
                   "AMUN 58.10 (margin 5.77), test accuracy after AMUN 73.2%; forget 50% — original 80.10, retrained 49.95, AMUN 66.89 (margin 2.58)."),
     Claim("A.T3.lipschitz"), Scale("ci")]
    [MemberData(nameof(Variants))]
    public void On_1_Lipschitz_models_AMUN_leaves_the_forget_set_as_unseen_as_retraining(string variant) =>
        Shared.Claims.Run("A.T3.lipschitz", variant).AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(On_1_Lipschitz_models_AMUN_leaves_the_forget_set_as_unseen_as_retraining)}");
}
