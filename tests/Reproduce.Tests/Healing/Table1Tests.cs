using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 1, full-data accuracy of the baseline (non-SISA) model (<see cref="Unlearning.Claims.HealingTable1"/>).
/// A value claim: at ci scale the number is pinned and shown beside the paper's, not asserted equal to it.
/// </summary>
public class Table1Tests
{
    public static TheoryData<string> Baselines => ClaimRuns.Variants("H.T1.acc");

    [Theory, Claim("H.T1.acc"), Scale("ci")]
    [MemberData(nameof(Baselines))]
    public void Baseline_model_accuracy(string variant)
    {
        var o = Shared.Claims.Run("H.T1.acc", variant);
        // A sanity floor any correctly trained model of this kind reaches on this data (not the claim itself).
        double floor = variant.StartsWith("MNIST", StringComparison.Ordinal) ? 0.97 : 0.80;
        Assert.True(o.Values["test_accuracy"].Value >= floor, $"{variant}: test accuracy {o.Values["test_accuracy"].Value:P2} below {floor:P0}");
        o.MatchSnapshot($"{GetType().FullName}.{nameof(Baseline_model_accuracy)}");
    }
}
