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
    public ColdRuns() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(3).WithId("cold x3"));
}
