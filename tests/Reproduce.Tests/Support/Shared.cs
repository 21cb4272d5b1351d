using Unlearning;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Reproduce.Tests.Support;

/// <summary>
/// What all tests share in one test process: the data catalog (datasets load once), the model cache (a base
/// model trained by one test is loaded, verified, by the next), the scale chosen by runsettings, and trained
/// base models per scenario hash.
/// </summary>
public static class Shared
{
    private static readonly Lazy<DataCatalog> Catalog_ = new(() => new DataCatalog(DataOptions.Resolve()));
    private static readonly Dictionary<string, TrainedBase> Bases = new();

    /// <summary>The scale of this run (REPRO_SCALE; runsettings.xml sets ci).</summary>
    public static Scale Scale => ScaleSetting.FromEnvironment();

    /// <summary>The shared data catalog.</summary>
    public static DataCatalog Catalog => Catalog_.Value;

    /// <summary>A runner over the shared catalog and the default model cache.</summary>
    public static ScenarioRunner Runner { get; } = new(Catalog_.Value, ModelCache.Default(), TorchRuntime.ResolveDevice());

    /// <summary>The trained base model of <paramref name="scenario"/>, trained once per process (and cached across processes).</summary>
    public static TrainedBase Base(Scenario scenario)
    {
        lock (Bases)
        {
            if (!Bases.TryGetValue(scenario.Hash, out var b))
                Bases[scenario.Hash] = b = Runner.TrainBase(scenario, log: Console.WriteLine);
            return b;
        }
    }
}
