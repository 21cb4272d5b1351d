using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Unlearning;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Reproduce.Cli;

/// <summary>
/// <c>reproduce run</c>: the main job. Runs the claim variants of this build through the same <see cref="ClaimRegistry"/>
/// the tests use and writes report.md, results.json, results.csv and figures/ to --out. Resumable: results.json is
/// rewritten after every variant, and a rerun with the same arguments keeps the finished rows (trained models come
/// from the model cache).
/// </summary>
internal static class RunCommand
{
    /// <summary>"claim|variant": the worker aborts (like a native crash) when it reaches that variant; for the tests of
    /// <see cref="RunSupervisor"/>.</summary>
    internal const string AbortAtVariable = "REPRO_TEST_ABORT_AT";

    public static Command Build()
    {
        var cmd = new Command("run", "reproduce the claims at a scale and write the report (artifacts/report.md)");
        var scale = CommonOptions.Scale("ci");
        var data = CommonOptions.Data();
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var outDir = CommonOptions.Out();
        var paper = new Option<string?>("--paper") { Description = "run one paper's claims: Healing | AMUN | Potion" };
        var claim = new Option<string?>("--claim") { Description = "run one claim id (all its variants), e.g. P.T1.order" };
        var shard = new Option<string?>("--shard") { Description = "i/n: run every n-th variant starting at the i-th (1-based), for a CI matrix or an array job; join with `reproduce merge`" };
        var fresh = new Option<bool>("--fresh") { Description = "ignore finished rows in --out/results.json and run everything again" };
        foreach (var o in new Option[] { scale, data, device, seed, outDir, paper, claim, shard, fresh }) cmd.Options.Add(o);
        cmd.SetAction(r => Run(CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(data), r.GetValue(device), r.GetValue(seed), r.GetValue(outDir)!,
            r.GetValue(paper), r.GetValue(claim), ParseShard(r.GetValue(shard)), r.GetValue(fresh)));
        return cmd;
    }

    /// <summary>"i/n" with 1 ≤ i ≤ n → (i, n); null → (1, 1).</summary>
    internal static (int Index, int Count) ParseShard(string? s)
    {
        if (s == null) return (1, 1);
        var parts = s.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                              && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i >= 1 && i <= n)
            return (i, n);
        throw new CliException($"--shard {s}: expected i/n with 1 ≤ i ≤ n, e.g. 2/4");
    }

    private static int Run(Scale scale, string? dataRoot, string? deviceSetting, long seed, string outDir, string? paper, string? claimId, (int Index, int Count) shard, bool fresh)
    {
        CommonOptions.CheckDataRoot(dataRoot);
        if (claimId != null) ClaimCatalog.Get(claimId); // unknown id → one line naming close ones
        if (paper != null && !ClaimCatalog.All.Any(c => c.Paper.Equals(paper, StringComparison.OrdinalIgnoreCase)))
            throw new CliException($"--paper {paper}: no such paper (Healing, AMUN, Potion)");
        CommonOptions.PrepareOutput(outDir);
        if (!RunSupervisor.RunsHere) return RunSupervisor.Supervise(outDir);
        var crashes = RunSupervisor.Crashes();
        fresh &= crashes.Count == 0; // a worker restarted after a crash resumes what this run wrote
        string? abortAt = Environment.GetEnvironmentVariable(AbortAtVariable);
        var started = DateTime.UtcNow;
        var catalog = new DataCatalog(DataOptions.Resolve(dataRoot));
        var device = TorchRuntime.ResolveDevice(deviceSetting);
        var live = new LiveProgress();
        var runner = new ScenarioRunner(catalog, ModelCache.Default(), device, live.Training);
        string scaleName = scale.ToString().ToLowerInvariant(), seeds = seed.ToString(CultureInfo.InvariantCulture);
        Action<string> log = line => AnsiConsole.MarkupLineInterpolated($"    [grey]{line}[/]");
        var profile = ScaleProfile.For(scale);
        using var healing = new HealingFixture(runner, profile, log);
        using var amun = new AmunFixture(runner, profile, log);
        var suites = new List<IClaimSuite> { new HealingSuite(healing), new AmunSuite(amun) };
        var unsupported = new Dictionary<string, string>();
        if (profile.PotionUnavailable is { } noPotion) unsupported["Potion"] = noPotion;
        else suites.Add(new PotionSuite(new PotionFixture(runner, profile, log)));
        var registry = new ClaimRegistry(suites, scaleName);

        var selected = registry.All
            .Where(v => claimId == null || v.Claim == claimId)
            .Where(v => paper == null || ClaimCatalog.Get(v.Claim).Paper.Equals(paper, StringComparison.OrdinalIgnoreCase))
            .Where((_, i) => i % shard.Count == shard.Index - 1)
            .ToList();
        string resultsPath = Path.Combine(outDir, "results.json");
        var previous = fresh ? null : RunResults.TryRead(resultsPath);
        var done = previous?.Claims.Where(c => c.Scale == scaleName && c.Seeds == seeds && c.Verdict != Verdicts.Skipped).ToList() ?? [];
        AnsiConsole.MarkupLineInterpolated($"[bold]reproduce run[/] · scale {scaleName} · seed {seed} · {TorchRuntime.Describe()} · out {Path.GetFullPath(outDir)}");
        AnsiConsole.MarkupLineInterpolated($"{selected.Count} claim variants{(shard.Count > 1 ? $" (shard {shard.Index}/{shard.Count})" : "")}; {selected.Count(v => done.Any(d => d.Claim == v.Claim && d.Variant == v.Variant))} already finished in {resultsPath}");

        var files = Enum.GetValues<DatasetId>().Select(catalog.Check).Where(s => s.Present).SelectMany(s => s.Files).ToList();
        var filters = new List<string>();
        if (paper != null) filters.Add($"--paper {paper}");
        if (claimId != null) filters.Add($"--claim {claimId}");
        if (shard.Count > 1) filters.Add($"--shard {shard.Index}/{shard.Count}");
        var env = new RunEnvironment(TorchRuntime.Describe(), $".NET {Environment.Version}", System.Runtime.InteropServices.RuntimeInformation.OSDescription, device.ToString(), files, started,
            filters.Count > 0 ? string.Join(" ", filters) : null, registry.All.Select(v => v.Claim).Distinct().ToList());
        var bases = new List<BaseModelResult>(previous?.BaseModels ?? []);
        var rows = new List<ClaimResult>(previous?.Claims.Where(c => !selected.Any(v => v.Claim == c.Claim && v.Variant == c.Variant) || done.Contains(c)) ?? []);

        void AddBase(string what, Func<TrainedBase> train)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]base model[/] {what}");
            var t = train();
            bases.RemoveAll(b => b.Hash == t.Scenario.Hash);
            bases.Add(new BaseModelResult(t.Scenario.Name, t.Scenario.Hash, t.Data.Name, t.Scenario.Model.Kind.ToString(), t.Split.Train.Length, t.Split.Test.Length,
                t.TrainAccuracy, t.TestAccuracy, t.FromCache, t.Training.Seconds, t.Training.ImagesPerSecond, t.Training.EpochLosses));
        }
        // --fresh: the old results go now, so that a worker restarted after a crash resumes this run, not the old one.
        if (fresh) Write(outDir, new RunResults(env, bases, rows), quiet: true);
        int n = 0, failed = 0;
        live.Run(selected.Count, () =>
        {
            if (selected.Any(v => v.Claim == "H.T1.acc")) // the base models of the Healing rows, with their training curves
                foreach (var id in new[] { healing.Datasets.Mnist, healing.Datasets.Harder })
                    AddBase(id.ToString(), () => healing.Base(id));
            if (selected.Any(v => v.Claim.StartsWith("H.T4", StringComparison.Ordinal) || v.Claim.StartsWith("H.T5", StringComparison.Ordinal) || v.Claim.StartsWith("H.T6", StringComparison.Ordinal)))
                AddBase($"{healing.Datasets.Mnist} primary 70% (healing)", () => healing.HealingBase);
            foreach (var v in selected)
            {
                n++;
                live.Claim(n, $"{v.Claim} · {v.Variant}");
                if (done.Any(d => d.Claim == v.Claim && d.Variant == v.Variant))
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey][[{n}/{selected.Count}]] {v.Claim} · {v.Variant}: finished earlier, kept[/]");
                    continue;
                }
                AnsiConsole.MarkupLineInterpolated($"[bold][[{n}/{selected.Count}]] {v.Claim}[/] · {v.Variant}");
                var clock = Stopwatch.StartNew();
                ClaimResult row;
                if (crashes.TryGetValue((v.Claim, v.Variant), out var crash) && crash.Count >= RunSupervisor.CrashesBeforeSkipping)
                {
                    failed++;
                    row = ClaimResult.NotRun(v.Claim, v.Variant, scaleName, seeds, 0, RunSupervisor.CrashNote(crash.Count, crash.ExitCode));
                }
                else try
                {
                    RunSupervisor.Starting(outDir, v.Claim, v.Variant);
                    if (abortAt == $"{v.Claim}|{v.Variant}") Environment.FailFast($"{AbortAtVariable}: aborting at {v.Claim} · {v.Variant} as asked");
                    row = ClaimResult.From(registry.Run(v.Claim, v.Variant), scaleName, seeds);
                }
                catch (InvalidScenarioException e)
                {
                    row = ClaimResult.NotRun(v.Claim, v.Variant, scaleName, seeds, clock.Elapsed.TotalSeconds, "invalid scenario: " + e.Message);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Any managed failure is this variant's error row; only a native crash ends the worker (RunSupervisor).
                    failed++;
                    row = ClaimResult.NotRun(v.Claim, v.Variant, scaleName, seeds, clock.Elapsed.TotalSeconds, $"error: {e.GetType().Name}: {e.Message}");
                }
                rows.Add(row);
                string color = row.Verdict switch
                {
                    Verdicts.Reproduced => "green",
                    Verdicts.Unresolved => "olive",
                    Verdicts.Deviates => "yellow",
                    Verdicts.Skipped or Verdicts.Invalid or Verdicts.Vacuous or Verdicts.ControlFailed => "red",
                    _ => "blue",
                };
                string why = row.Verdict is Verdicts.Deviates or Verdicts.Skipped ? ": " + (row.Note.Length > 0 ? row.Note : row.Ours)
                           : row.Verdict is Verdicts.Unresolved or Verdicts.Invalid or Verdicts.Vacuous or Verdicts.ControlFailed ? ": " + row.Ours : "";
                AnsiConsole.MarkupLineInterpolated($"    [{color}]{row.Verdict}[/] in {row.Seconds:0.0} s{why}");
                Write(outDir, new RunResults(env, bases, rows), quiet: true);
                RunSupervisor.Finished(outDir);
            }
        });
        foreach (var (p, why) in unsupported)
            foreach (var c in ClaimCatalog.All.Where(c => c.Paper == p && (paper == null || paper.Equals(p, StringComparison.OrdinalIgnoreCase)) && (claimId == null || claimId == c.Id)))
                if (!rows.Any(r => r.Claim == c.Id)) rows.Add(ClaimResult.NotRun(c.Id, "", scaleName, seeds, 0, why));
        Write(outDir, new RunResults(env, bases, rows), quiet: false);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Writes results.json, results.csv, the figures and report.md (each atomically).</summary>
    internal static void Write(string outDir, RunResults results, bool quiet)
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
        if (quiet) return;
        var counts = results.Claims.GroupBy(c => c.Verdict).Select(g => $"{g.Count()} {g.Key}");
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{Path.Combine(outDir, "report.md")}[/], results.json, results.csv, figures/ · {string.Join(", ", counts)}");
    }
}
