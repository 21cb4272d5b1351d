using System.Diagnostics;
using System.Globalization;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Unlearning.Reporting;

/// <summary>What one run is asked to do: the scale and seed, which claim variants (a paper, a claim, a shard i/n), where to write, and whether to keep the rows an earlier run of the same scale and seed finished there.</summary>
public sealed record RunPlan(Scale Scale, long Seed, string OutDir, string? Paper = null, string? Claim = null, int ShardIndex = 1, int ShardCount = 1, bool Fresh = false)
{
    /// <summary>The plan's variants of <paramref name="all"/>, in order: its claim or paper, then every n-th of its shard.</summary>
    public IReadOnlyList<ClaimVariant> Select(IEnumerable<ClaimVariant> all) => all
        .Where(v => Claim == null || v.Claim == Claim)
        .Where(v => Paper == null || ClaimCatalog.Get(v.Claim).Paper.Equals(Paper, StringComparison.OrdinalIgnoreCase))
        .Where((_, i) => i % ShardCount == ShardIndex - 1)
        .ToList();

    /// <summary>The filter this plan applies, as the command line writes it (null for the whole build).</summary>
    public string? Filter
    {
        get
        {
            var filters = new List<string>();
            if (Paper != null) filters.Add($"--paper {Paper}");
            if (Claim != null) filters.Add($"--claim {Claim}");
            if (ShardCount > 1) filters.Add($"--shard {ShardIndex}/{ShardCount}");
            return filters.Count > 0 ? string.Join(" ", filters) : null;
        }
    }
}

/// <summary>What a run tells its front end as it goes; a console renders it, a test records it. Every member has a silent default.</summary>
public interface IRunObserver
{
    /// <summary>The run is about to go through <paramref name="selected"/> variants, <paramref name="finishedEarlier"/> of them kept from <paramref name="resultsPath"/>; <paramref name="body"/> runs them (a live display wraps it).</summary>
    void Running(int selected, int finishedEarlier, string resultsPath, Action body) => body();

    /// <summary>A base model is being trained or loaded for the report's base-model table.</summary>
    void BaseModel(string what) { }

    /// <summary>Variant <paramref name="index"/> of <paramref name="count"/> (1-based) starts, or is kept from the earlier run.</summary>
    void Variant(int index, int count, ClaimVariant variant, bool kept) { }

    /// <summary>Variant <paramref name="index"/> produced <paramref name="row"/>.</summary>
    void Finished(int index, int count, ClaimResult row) { }
}

/// <summary>
/// How a supervising process guards the variants of a run: <see cref="Skip"/> names a variant it will not run again (the
/// reason becomes the row's note), <see cref="Starting"/> and <see cref="Finished"/> bracket each variant (a crash between
/// them is charged to it).
/// </summary>
public sealed record RunGuard(Func<string, string, string?>? Skip = null, Action<string, string>? Starting = null, Action? Finished = null);

/// <summary>
/// One run of the claims: builds the scale's fixtures and suites, selects the plan's variants, keeps the rows an earlier
/// run finished in <see cref="RunPlan.OutDir"/> (resume), runs the rest through the <see cref="ClaimRegistry"/> the tests
/// use, and rewrites results.json and the report after every variant. A managed failure of a variant is that variant's
/// error row; the run goes on. <c>reproduce run</c> is this class plus options and rendering.
/// </summary>
public sealed class RunSession(ScenarioRunner runner, RunPlan plan, IRunObserver? observer = null, RunGuard? guard = null, Action<string>? log = null)
{
    private readonly IRunObserver _observer = observer ?? new Silent();
    private readonly RunGuard _guard = guard ?? new RunGuard();

    /// <summary>Runs the plan; returns the number of variants that ended in an error (0: every selected variant has a verdict).</summary>
    public int Run()
    {
        var started = DateTime.UtcNow;
        var profile = ScaleProfile.For(plan.Scale).WithSeed(plan.Seed);
        string scale = profile.Name, seeds = plan.Seed.ToString(CultureInfo.InvariantCulture);
        using var suites = new Suites(runner, profile, log);
        var (healing, registry, unsupported) = (suites.Healing, suites.Registry, suites.Unsupported);
        var selected = plan.Select(registry.All);
        string resultsPath = Path.Combine(plan.OutDir, "results.json");
        var previous = plan.Fresh ? null : RunResults.TryRead(resultsPath);
        var done = previous?.Claims.Where(c => c.Scale == scale && c.Seeds == seeds && c.Verdict != Verdicts.Skipped).ToList() ?? [];
        bool Done(ClaimVariant v) => done.Any(d => d.Claim == v.Claim && d.Variant == v.Variant);

        var files = Enum.GetValues<DatasetId>().Select(runner.Catalog.Check).Where(s => s.Present).SelectMany(s => s.Files).ToList();
        var env = new RunEnvironment(TorchRuntime.Describe(), $".NET {Environment.Version}", System.Runtime.InteropServices.RuntimeInformation.OSDescription, runner.Device.ToString(),
            files, started, plan.Filter, registry.All.Select(v => v.Claim).Distinct().ToList());
        var bases = new List<BaseModelResult>(previous?.BaseModels ?? []);
        var rows = new List<ClaimResult>(previous?.Claims.Where(c => !selected.Any(v => v.Claim == c.Claim && v.Variant == c.Variant) || done.Contains(c)) ?? []);

        void AddBase(string what, Func<TrainedBase> train)
        {
            _observer.BaseModel(what);
            var t = train();
            bases.RemoveAll(b => b.Hash == t.Scenario.Hash);
            bases.Add(new BaseModelResult(t.Scenario.Name, t.Scenario.Hash, t.Data.Name, t.Scenario.Model.Kind.ToString(), t.Split.Train.Length, t.Split.Test.Length,
                t.TrainAccuracy, t.TestAccuracy, t.FromCache, t.Training.Seconds, t.Training.ImagesPerSecond, t.Training.EpochLosses));
        }
        // Fresh: the old results go now, so that a worker restarted after a crash resumes this run, not the old one.
        if (plan.Fresh) ReportWriter.Write(plan.OutDir, new RunResults(env, bases, rows));
        int failed = 0;
        _observer.Running(selected.Count, selected.Count(Done), resultsPath, () =>
        {
            if (selected.Any(v => v.Claim == "H.T1.acc")) // the base models of the Healing rows, with their training curves
                foreach (var id in new[] { healing.Datasets.Mnist, healing.Datasets.Harder })
                    AddBase(id.ToString(), () => healing.Base(id));
            if (selected.Any(v => v.Claim.StartsWith("H.T4", StringComparison.Ordinal) || v.Claim.StartsWith("H.T5", StringComparison.Ordinal) || v.Claim.StartsWith("H.T6", StringComparison.Ordinal)))
                AddBase($"{healing.Datasets.Mnist} primary 70% (healing)", () => healing.HealingBase);
            for (int n = 1; n <= selected.Count; n++)
            {
                var v = selected[n - 1];
                if (Done(v))
                {
                    _observer.Variant(n, selected.Count, v, kept: true);
                    continue;
                }
                _observer.Variant(n, selected.Count, v, kept: false);
                var clock = Stopwatch.StartNew();
                ClaimResult row;
                if (_guard.Skip?.Invoke(v.Claim, v.Variant) is { } skipped)
                {
                    failed++;
                    row = ClaimResult.NotRun(v.Claim, v.Variant, scale, seeds, 0, skipped);
                }
                else try
                {
                    _guard.Starting?.Invoke(v.Claim, v.Variant);
                    row = ClaimResult.From(registry.Run(v.Claim, v.Variant), scale, seeds);
                }
                catch (InvalidScenarioException e)
                {
                    row = ClaimResult.NotRun(v.Claim, v.Variant, scale, seeds, clock.Elapsed.TotalSeconds, "invalid scenario: " + e.Message);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Any managed failure is this variant's error row; only a native crash ends the process (a supervisor restarts it).
                    failed++;
                    row = ClaimResult.NotRun(v.Claim, v.Variant, scale, seeds, clock.Elapsed.TotalSeconds, $"error: {e.GetType().Name}: {e.Message}");
                }
                rows.Add(row);
                _observer.Finished(n, selected.Count, row);
                ReportWriter.Write(plan.OutDir, new RunResults(env, bases, rows));
                _guard.Finished?.Invoke();
            }
        });
        foreach (var (p, why) in unsupported)
            foreach (var c in ClaimCatalog.All.Where(c => c.Paper == p && (plan.Paper == null || plan.Paper.Equals(p, StringComparison.OrdinalIgnoreCase)) && (plan.Claim == null || plan.Claim == c.Id)))
                if (!rows.Any(r => r.Claim == c.Id)) rows.Add(ClaimResult.NotRun(c.Id, "", scale, seeds, 0, why));
        Results = new RunResults(env, bases, rows);
        ReportWriter.Write(plan.OutDir, Results);
        return failed;
    }

    /// <summary>The results as last written (after <see cref="Run"/>).</summary>
    public RunResults? Results { get; private set; }

    private sealed class Silent : IRunObserver;
}

/// <summary>
/// The three papers' fixtures and claim suites over one runner and profile, and the registry over them; disposing releases
/// the fixtures' trained state. A paper the profile has no scenario for is in <see cref="Unsupported"/> with the reason.
/// </summary>
public sealed class Suites : IDisposable
{
    /// <summary>Builds the fixtures (nothing is trained until a claim asks).</summary>
    public Suites(ScenarioRunner runner, ScaleProfile profile, Action<string>? log = null)
    {
        Healing = new HealingFixture(runner, profile, log);
        Amun = new AmunFixture(runner, profile, log);
        var suites = new List<IClaimSuite> { new HealingSuite(Healing), new AmunSuite(Amun) };
        if (profile.PotionUnavailable is { } noPotion) Unsupported["Potion"] = noPotion;
        else suites.Add(new PotionSuite(new PotionFixture(runner, profile, log)));
        Registry = new ClaimRegistry(suites, profile.Name);
    }

    /// <summary>Healing's fixture.</summary>
    public HealingFixture Healing { get; }

    /// <summary>AMUN's fixture.</summary>
    public AmunFixture Amun { get; }

    /// <summary>Every variant of the suites.</summary>
    public ClaimRegistry Registry { get; }

    /// <summary>Papers without a scenario at this scale, with the reason.</summary>
    public Dictionary<string, string> Unsupported { get; } = [];

    /// <inheritdoc />
    public void Dispose()
    {
        Healing.Dispose();
        Amun.Dispose();
    }
}

/// <summary>Writes a run's results.json, results.csv, figures/ and report.md into a directory, each file atomically.</summary>
public static class ReportWriter
{
    /// <summary>Writes every output of <paramref name="results"/> into <paramref name="outDir"/>.</summary>
    public static void Write(string outDir, RunResults results)
    {
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.json"), results.ToJson());
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.csv"), MarkdownReport.Csv(results));
        Figures.WriteAll(results, outDir);
        var extra = new Dictionary<string, string>();
        var curves = results.BaseModels.Where(b => b.EpochLosses.Count > 0)
            .Select(b => new Series(b.Dataset, Enumerable.Range(1, b.EpochLosses.Count).Select(e => (double)e).ToArray(), b.EpochLosses.ToArray())).ToList();
        if (curves.Count > 0)
        {
            Directory.CreateDirectory(Path.Combine(outDir, "figures"));
            Figures.Lines(Path.Combine(outDir, "figures", "base-training-loss.png"), "Base models: training loss", "epoch", "mean cross-entropy", curves);
            extra["Training loss of the base models per epoch"] = "figures/base-training-loss.png";
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), MarkdownReport.Render(results, extra));
    }
}
