using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>Potion Fig. 6: along decreasing α, S_f accuracy falls and clean accuracy holds until over-forgetting.</summary>
public class Figure6Tests
{
    [Fact, Claim("P.F6.trend"), Scale("ci")]
    public void Forget_accuracy_falls_as_alpha_falls_while_clean_accuracy_holds_until_over_forgetting() =>
        Shared.Claims.Run("P.F6.trend", "XLF, S_f=50%").Verify(GetType());
}
