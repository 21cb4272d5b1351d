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
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "run every selected variant's code path with each training capped at 2 steps and each evaluation at 2 batches, " +
                          "absent data stood in by synthetic sets of the real shape, in a model cache of its own; writes dry-run.md and dry-run.json, no results or verdicts",
        };
        var caps = new Option<string?>("--caps") { Description = "with --dry-run: steps,batches,batch-size (default 2,2,16): optimiser steps per training, batches per evaluation, the largest batch" };
        foreach (var o in new Option[] { scale, data, device, seed, outDir, paper, claim, shard, fresh, dryRun, caps }) cmd.Options.Add(o);
        cmd.SetAction(r => r.GetValue(dryRun)
            ? DryRun(CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(data), r.GetValue(device), r.GetValue(seed), r.GetValue(outDir)!,
                r.GetValue(paper), r.GetValue(claim), ParseShard(r.GetValue(shard)), ParseCaps(r.GetValue(caps)))
            : r.GetValue(caps) != null ? throw new CliException("--caps applies to a dry run only: add --dry-run")
            : Run(CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(data), r.GetValue(device), r.GetValue(seed), r.GetValue(outDir)!,
                r.GetValue(paper), r.GetValue(claim), ParseShard(r.GetValue(shard)), r.GetValue(fresh)));
        return cmd;
    }

    /// <summary>
    /// <c>--dry-run</c>: in this process (minutes, no supervisor), with a model cache in a temporary directory removed at the
    /// end. Exit code 1 when a variant threw or a training took more steps than the cap.
    /// </summary>
    /// <summary>"s,e,b" → the dry run's caps; null → the defaults (2 steps, 2 batches, batches of ≤ 16).</summary>
    internal static IterationLimits ParseCaps(string? s)
    {
        if (s == null) return new IterationLimits();
        var parts = s.Split(',');
        if (parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1))
        {
            var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return new IterationLimits(v[0], v[1], v[2]);
        }
        throw new CliException($"--caps {s}: expected steps,batches,batch-size, each ≥ 1, e.g. 2,2,16");
    }

    private static int DryRun(Scale scale, string? dataRoot, string? deviceSetting, long seed, string outDir, string? paper, string? claimId, (int Index, int Count) shard,
        IterationLimits limits)
    {
        CommonOptions.CheckDataRoot(dataRoot);
        CommonOptions.CheckSelection(paper, claimId);
        CommonOptions.PrepareOutput(outDir);
        var device = TorchRuntime.ResolveDevice(deviceSetting);
        string cacheDir = Path.Combine(Path.GetTempPath(), $"reproduce-dry-run-{Environment.ProcessId}");
        try
        {
            var runner = new ScenarioRunner(new DataCatalog(DataOptions.Resolve(dataRoot) with { SyntheticWhenAbsent = true }), new ModelCache(cacheDir), device);
            AnsiConsole.MarkupLineInterpolated($"[bold]reproduce run --dry-run[/] · scale {scale.ToString().ToLowerInvariant()} · {limits.Steps} steps per training, {limits.EvalBatches} batches of ≤ {limits.BatchSize} per evaluation · {TorchRuntime.Describe()} · out {Path.GetFullPath(outDir)}");
            var plan = new RunPlan(scale, seed, outDir, paper, claimId, shard.Index, shard.Count);
            var results = new DryRunSession(runner, plan, limits, (i, n, v) =>
            {
                string cost = $"in {v.Seconds:0.0} s · {v.Trainings} trainings, {v.Steps} steps, {v.Forwards} forwards · RSS {v.RssBytes / 1048576} MB";
                if (v.Ran) AnsiConsole.MarkupLineInterpolated($"[[{i}/{n}]] {v.Claim} · {v.Variant}: [green]ran[/] {cost}");
                else AnsiConsole.MarkupLineInterpolated($"[[{i}/{n}]] {v.Claim} · {v.Variant}: [red]failed[/] {cost} · {v.Error}");
            }).Run();
            if (results.Synthetic.Count > 0) AnsiConsole.MarkupLineInterpolated($"[grey]synthetic stand-ins for the absent data sets: {string.Join(", ", results.Synthetic)}[/]");
            foreach (var v in results.OverCap) AnsiConsole.MarkupLineInterpolated($"[red]{v.Claim} · {v.Variant}: {v.Steps} steps in {v.Trainings} trainings, over the cap of {limits.Steps} each[/]");
            AnsiConsole.MarkupLineInterpolated($"wrote [bold]{Path.Combine(outDir, "dry-run.md")}[/] and dry-run.json · {results.Variants.Count} variants, {results.Failed.Count} failed · RSS growth {results.RssGrowthBytes / 1048576} MB, peak {results.RssPeakBytes / 1048576} MB · {results.Seconds:0} s");
            return results.Failed.Count == 0 && results.OverCap.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(cacheDir)) Directory.Delete(cacheDir, recursive: true);
        }
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
        CommonOptions.CheckSelection(paper, claimId);
        CommonOptions.PrepareOutput(outDir);
        if (!RunSupervisor.RunsHere) return RunSupervisor.Supervise(outDir);
        var crashes = RunSupervisor.Crashes();
        fresh &= crashes.Count == 0; // a worker restarted after a crash resumes what this run wrote
        string? abortAt = Environment.GetEnvironmentVariable(AbortAtVariable);
        var device = TorchRuntime.ResolveDevice(deviceSetting);
        var live = new LiveProgress();
        var runner = new ScenarioRunner(new DataCatalog(DataOptions.Resolve(dataRoot)), ModelCache.Default(), device, live.Training);
        AnsiConsole.MarkupLineInterpolated($"[bold]reproduce run[/] · scale {scale.ToString().ToLowerInvariant()} · seed {seed} · {TorchRuntime.Describe()} · out {Path.GetFullPath(outDir)}");
        var plan = new RunPlan(scale, seed, outDir, paper, claimId, shard.Index, shard.Count, fresh);
        var guard = new RunGuard(
            Skip: (claim, variant) => crashes.TryGetValue((claim, variant), out var crash) && crash.Count >= RunSupervisor.CrashesBeforeSkipping
                ? RunSupervisor.CrashNote(crash.Count, crash.ExitCode) : null,
            Starting: (claim, variant) =>
            {
                RunSupervisor.Starting(outDir, claim, variant);
                if (abortAt == $"{claim}|{variant}") Environment.FailFast($"{AbortAtVariable}: aborting at {claim} · {variant} as asked");
            },
            Finished: () => RunSupervisor.Finished(outDir));
        var session = new RunSession(runner, plan, new ConsoleObserver(live, shard), guard, line => AnsiConsole.MarkupLineInterpolated($"    [grey]{line}[/]"));
        int failed = session.Run();
        Summarise(outDir, session.Results!);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Renders a session's progress: the live bars, one line per variant with its verdict in colour.</summary>
    internal sealed class ConsoleObserver(LiveProgress live, (int Index, int Count) shard) : IRunObserver
    {
        public void Running(int selected, int finishedEarlier, string resultsPath, Action body)
        {
            AnsiConsole.MarkupLineInterpolated($"{selected} claim variants{(shard.Count > 1 ? $" (shard {shard.Index}/{shard.Count})" : "")}; {finishedEarlier} already finished in {resultsPath}");
            live.Run(selected, body);
        }

        public void BaseModel(string what) => AnsiConsole.MarkupLineInterpolated($"[bold]base model[/] {what}");

        public void Variant(int index, int count, ClaimVariant v, bool kept)
        {
            live.Claim(index, $"{v.Claim} · {v.Variant}");
            if (kept) AnsiConsole.MarkupLineInterpolated($"[grey][[{index}/{count}]] {v.Claim} · {v.Variant}: finished earlier, kept[/]");
            else AnsiConsole.MarkupLineInterpolated($"[bold][[{index}/{count}]] {v.Claim}[/] · {v.Variant}");
        }

        public void Finished(int index, int count, ClaimResult row)
        {
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
        }
    }

    /// <summary>Writes the outputs of <paramref name="results"/> into <paramref name="outDir"/> and prints the verdict counts.</summary>
    internal static void Write(string outDir, RunResults results)
    {
        ReportWriter.Write(outDir, results);
        Summarise(outDir, results);
    }

    private static void Summarise(string outDir, RunResults results)
    {
        var counts = results.Claims.GroupBy(c => c.Verdict).Select(g => $"{g.Count()} {g.Key}");
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{Path.Combine(outDir, "report.md")}[/], results.json, results.csv, figures/ · {string.Join(", ", counts)}");
    }
}
