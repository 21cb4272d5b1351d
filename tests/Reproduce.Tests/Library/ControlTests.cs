using Reproduce.Tests.Support;
using Unlearning.Claims;
using Unlearning.Reporting;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>
/// The negative controls on real claims: with a method that does nothing (None, the untouched model) in the method's
/// place, the claim's own checks must reject it — so its verdict is never "reproduced", and the claim as run is not vacuous.
/// One claim per paper: Healing Table 3 (Influence), AMUN Table 1 (AMUN's Avg Gap), Potion Table 1 (the PTN family's order).
/// </summary>
public class ControlTests
{
    public static TheoryData<string, string> ClaimsWithControls => new()
    {
        { "H.T3.influence", "MNIST, random 5–30%" },
        { "A.T1.avg-gap", "with D_R, forget 10%" },
        { "P.T1.order", "SSD family, S_f=10%" },
    };

    [Theory, Scale("ci")]
    [MemberData(nameof(ClaimsWithControls))]
    public void A_no_op_in_the_methods_place_does_not_pass_the_claims_checks(string claim, string variant)
    {
        var noOp = Shared.Claims.RunControl(claim, variant, "None");
        string verdict = noOp.Verdict("ci");
        Assert.True(verdict != Verdicts.Reproduced, $"a no-op reproduces {claim} [{variant}]:\n{noOp.Explain()}");
        // Its controls are itself: were its checks to pass, it would read "vacuous", never "reproduced".
        Assert.Equal(noOp.Holds, noOp.Vacuous);
        Assert.False(noOp.Holds, $"the checks of {claim} [{variant}] cannot tell a no-op from the method:\n{noOp.Explain()}");

        var real = Shared.Claims.Run(claim, variant);
        Assert.False(real.Vacuous, $"{claim} [{variant}] is vacuous:\n{real.Explain()}");
        Assert.Contains(real.Controls, c => c.Name == "None" && c.Negative && !c.Passes);
    }
}
