using System.Globalization;
using Unlearning.Healing;
using static Unlearning.Claims.HealingTables;

namespace Unlearning.Claims;

/// <summary>Healing Table 6 (H.T6.mean-std): mean ± std of the 5 unlearning runs' test accuracy, Fisher and Influence, per request.</summary>
public sealed class HealingTable6(HealingFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        new("H.T6.mean-std", ClassSeven, () => MeanStd(HealingRequest.ClassTargeted)),
        new("H.T6.mean-std", WorstTwentyFive, () => MeanStd(HealingRequest.WorstLogits)),
    ];

    private Finding MeanStd(HealingRequest request)
    {
        var h = f.Healing(request);
        string row = request == HealingRequest.ClassTargeted ? "MNIST" : "MNIST (worst 25 logits)";
        var values = new Dictionary<string, Measured>();
        foreach (var s in h.Starts)
        {
            string k = StartColumn(s.Method);
            values[$"{k}.mean"] = Measured.MeanOf(s.Accuracies, HealingPaper.MeanStd(row, s.Method, "mean"), f.HealingFloor(s.Mean, s.Accuracies.Length));
            values[$"{k}.std"] = Measured.Reported(s.Std, HealingPaper.MeanStd(row, s.Method, "std"));
        }
        return Finding.OfValues(values,
            $"{h.Setup.Runs} runs per method; " + string.Join("; ", h.Starts.Select(s => $"{s.Method} runs {string.Join(" / ", s.Accuracies.Select(a => (100 * a).ToString("0.00", CultureInfo.InvariantCulture)))}%, " +
                                                                       $"{s.Seconds.Average().ToString("0.0", CultureInfo.InvariantCulture)} s per run (not asserted; paper {HealingPaper.MeanStd(row, s.Method, "time_s")} s on its hardware)")) +
            "; " + MethodSettings(h.Setup));
    }
}
