using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Training;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>
/// The paper scale's dry run, in every test run: every paper-scale Healing variant through its real code path — full-size
/// MNIST and Fashion-MNIST shapes, SISA, Gold retrains over Fig. 2's ten runs, Fisher, LiSSA, the healing loop — with every
/// training capped at two steps and every evaluation at two batches, on synthetic stand-ins where the real data are absent.
/// (AMUN's and Potion's paper variants run from the CLI, <c>reproduce run --scale paper --dry-run</c>; at this machine's
/// speed they do not yet fit the suite's budget.) A regression on the paper path (an exception, a mis-shaped tensor, a
/// loop the caps do not reach) fails here, not after hours on a GPU. Its numbers are not results and it asserts none.
/// </summary>
[Scale("dry-run")]
public sealed class PaperDryRunTests(ITestOutputHelper output)
{
    /// <summary>Batches of two samples: the path is the same as at 16 and a ResNet-18 step costs an eighth.</summary>
    private static readonly IterationLimits Caps = new(Steps: 2, EvalBatches: 2, BatchSize: 2);

    /// <summary>Resident memory the dry run may add to the process: the fixtures keep one scenario's models and data sets (measured: see the README).</summary>
    private const long GrowthBound = 8L << 30;

    [Fact]
    public void Every_paper_variant_runs_its_path_under_the_caps()
    {
        var root = Directory.CreateTempSubdirectory("repro-dry-run-").FullName;
        try
        {
            var runner = new ScenarioRunner(new DataCatalog(DataOptions.Resolve() with { SyntheticWhenAbsent = true }), new ModelCache(Path.Combine(root, "cache")));
            var plan = new RunPlan(Scale.Paper, ScaleProfile.DefaultSeed, Path.Combine(root, "out"), Paper: "Healing");
            var results = new DryRunSession(runner, plan, Caps).Run();
            output.WriteLine(results.ToMarkdown());

            Assert.True(results.Failed.Count == 0,
                $"{results.Failed.Count} paper-scale variants failed:\n" + string.Join("\n", results.Failed.Select(v => $"{v.Claim} · {v.Variant}: {v.Error}")));
            using (var suites = new Suites(runner, ScaleProfile.Paper.DryRun(Caps)))
                Assert.Equal(plan.Select(suites.Registry.All).Select(v => $"{v.Claim} · {v.Variant}"), results.Variants.Select(v => $"{v.Claim} · {v.Variant}"));
            Assert.True(results.OverCap.Count == 0,
                "trainings took more steps than the cap (a loop the caps do not reach):\n" + string.Join("\n", results.OverCap.Select(v => $"{v.Claim} · {v.Variant}: {v.Steps} steps in {v.Trainings} trainings")));
            Assert.Contains(results.Variants.SelectMany(v => v.Shapes.Keys), k => k.StartsWith("SmallCnn: 2×1×28×28 → 2×10", StringComparison.Ordinal));
            Assert.True(results.RssGrowthBytes < GrowthBound,
                $"resident memory grew by {results.RssGrowthBytes >> 20} MB over the dry run (bound {GrowthBound >> 20} MB): something keeps what each variant allocates");
            Assert.True(File.Exists(Path.Combine(plan.OutDir, "dry-run.md")) && !File.Exists(Path.Combine(plan.OutDir, "results.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
