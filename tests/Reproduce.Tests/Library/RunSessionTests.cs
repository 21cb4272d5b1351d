using Reproduce.Tests.Support;
using Unlearning.Claims;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>The run session without the command line: selection by claim and shard, resume, the written report, and the rows of a paper the scale cannot run.</summary>
[Scale("unit")]
public sealed class RunSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("repro-session-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Recorder : IRunObserver
    {
        public List<(string Variant, bool Kept)> Variants { get; } = [];
        public List<ClaimResult> Rows { get; } = [];
        public void Variant(int index, int count, ClaimVariant variant, bool kept) => Variants.Add((variant.Variant, kept));
        public void Finished(int index, int count, ClaimResult row) => Rows.Add(row);
    }

    [Fact]
    public void A_shard_runs_every_nth_variant_a_rerun_keeps_it_and_the_report_is_written()
    {
        var plan = new RunPlan(Scale.Smoke, ScaleProfile.DefaultSeed, _dir, Claim: "H.T1.acc", ShardIndex: 2, ShardCount: 2);
        var first = new Recorder();
        Assert.Equal(0, new RunSession(Shared.Runner, plan, first).Run());
        var only = Assert.Single(first.Variants);
        Assert.Equal(("Fashion-MNIST CNN baseline (stands in for CIFAR-10)", false), only);
        var row = Assert.Single(RunResults.TryRead(Path.Combine(_dir, "results.json"))!.Claims);
        Assert.Equal(Verdicts.NeedsPaperScale, row.Verdict);
        Assert.Equal("--claim H.T1.acc --shard 2/2", RunResults.TryRead(Path.Combine(_dir, "results.json"))!.Environment.Selection);
        Assert.Contains("H.T1.acc", File.ReadAllText(Path.Combine(_dir, "report.md")));

        var again = new Recorder();
        Assert.Equal(0, new RunSession(Shared.Runner, plan, again).Run());
        Assert.Equal([(only.Variant, true)], again.Variants);
        Assert.Empty(again.Rows);

        var fresh = new Recorder();
        new RunSession(Shared.Runner, plan with { Fresh = true }, fresh).Run();
        Assert.Equal([(only.Variant, false)], fresh.Variants);
    }

    [Fact]
    public void A_paper_without_a_scenario_at_this_scale_gets_rows_that_say_why_and_a_guarded_skip_is_an_error_row()
    {
        var potion = new RunSession(Shared.Runner, new RunPlan(Scale.Smoke, ScaleProfile.DefaultSeed, _dir, Paper: "Potion")).Run();
        Assert.Equal(0, potion);
        var rows = RunResults.TryRead(Path.Combine(_dir, "results.json"))!.Claims;
        Assert.Equal(ClaimCatalog.All.Count(c => c.Paper == "Potion"), rows.Count);
        Assert.All(rows, r => Assert.Equal(ScaleProfile.Smoke.PotionUnavailable, r.Note));

        var guard = new RunGuard(Skip: (claim, variant) => variant == "MNIST CNN baseline" ? "crashed twice" : null);
        var recorder = new Recorder();
        int failed = new RunSession(Shared.Runner, new RunPlan(Scale.Smoke, ScaleProfile.DefaultSeed, _dir, Claim: "H.T1.acc", Fresh: true), recorder, guard).Run();
        Assert.Equal(1, failed);
        Assert.Equal(Verdicts.Skipped, recorder.Rows.Single(r => r.Variant == "MNIST CNN baseline").Verdict);
        Assert.NotEqual(Verdicts.Skipped, recorder.Rows.Single(r => r.Variant != "MNIST CNN baseline").Verdict);
    }
}
