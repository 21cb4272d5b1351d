using BenchmarkDotNet.Attributes;
using Unlearning;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Reproduce.Bench;

/// <summary>
/// Potion Fig. 11 (claim P.F11.time) on the ci poison scenario (BadNet 2% of 7,200 MNIST digits, SmallCnn, S_f = 10% of
/// S_m): PTN-XLF's whole search against one SSD application (importances + one dampening, the baseline) and against EU
/// (retraining from scratch on S_tr ∖ S_f, never read from the cache). Paper, on a GPU: PTN-XLF ≈ 2.55× SSD, EU ≈ 12.5×
/// PTN-XLF. Goals here: PTN-XLF ≤ 1.5× SSD and EU ≥ 15× PTN-XLF. The poisoned model itself is trained once (or read
/// from the model cache the tests share) in the global setup.
/// </summary>
[Config(typeof(ColdRuns))]
public class PotionBenchmarks
{
    private PoisonedBase _base = null!;
    private UnlearningRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var runner = BenchRunner.Create();
        _base = PoisonScenarios.Train(runner, PoisonScenario.Ci(), log: Console.WriteLine);
        _request = PotionExperiment.Request(runner, _base, Discovery.Share(0.1).Identify(_base.Plan));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _base.Poisoned.Dispose();
        _base.Clean.Dispose();
    }

    [Benchmark(Baseline = true, Description = "SSD, one application (α 10, λ 1)")]
    public double Ssd() => Run(new SsdUnlearner(_base.Scenario.ImportanceBatchSize));

    [Benchmark(Description = "PTN-XLF (importances + search)"), Goal("P.F11.time", "≤", 1.5, "2.55")]
    public double PtnXlf() => Run(new PtnUnlearner(ImportanceKind.ExponentLossFree, new PtnOptions(), _base.Scenario.ImportanceBatchSize));

    [Benchmark(Description = "EU (retrain on S_tr without S_f)"), Goal("P.F11.time", "≥", 15, "12.5", Against = nameof(PtnXlf))]
    public double ExactUnlearning() => Run(new Retrain());

    private double Run(IUnlearner method)
    {
        var result = method.Unlearn(_request);
        result.Model.Dispose();
        return result.Seconds;
    }
}
