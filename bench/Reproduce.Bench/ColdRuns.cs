using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reproduce.Bench;

/// <summary>
/// The job of the end-to-end benchmarks (seconds to minutes per operation): in-process — the host is this project's
/// patched build output, so TorchSharp's native bridge loads — and three cold runs, no warm-up.
/// </summary>
public sealed class ColdRuns : ManualConfig
{
    public ColdRuns() => AddJob(Job(3, InProcessEmitToolchain.Instance));

    /// <summary>In-process, no warm-up, <paramref name="iterations"/> cold runs.</summary>
    internal static Job Job(int iterations, BenchmarkDotNet.Toolchains.IToolchain toolchain) => BenchmarkDotNet.Jobs.Job.Default.WithToolchain(toolchain)
        .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(iterations).WithId($"cold x{iterations}");
}

/// <summary>What the end-to-end benchmarks set up alike: torch initialised and a runner over the default data and model cache.</summary>
public static class BenchRunner
{
    /// <summary>A runner on the embedded data, the default model cache (models trained once, then loaded) and the configured device.</summary>
    public static Unlearning.Scenarios.ScenarioRunner Create()
    {
        Unlearning.TorchRuntime.EnsureInitialized();
        return new Unlearning.Scenarios.ScenarioRunner(new Unlearning.Data.DataCatalog(Unlearning.Data.DataOptions.Resolve()),
            Unlearning.Training.ModelCache.Default(), Unlearning.TorchRuntime.ResolveDevice());
    }
}
