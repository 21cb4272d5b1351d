using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Fig. 2 at ci scale: Fig. 1 (Gold and SISA after deleting 5–30% of MNIST at random) over independent runs,
/// mean ± std per deleted share. A value claim: the paper draws the figure without numbers, so ours are pinned.
/// </summary>
public class Figure2Tests
{
    [Fact, Claim("H.F2.runs"), Scale("ci")]
    public void Mean_and_std_over_independent_runs() =>
        Shared.Claims.Run("H.F2.runs", "MNIST, independent runs, random 5–30%")
            .MatchSnapshot($"{GetType().FullName}.{nameof(Mean_and_std_over_independent_runs)}");
}
