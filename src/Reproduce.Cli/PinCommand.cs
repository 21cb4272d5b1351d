using System.CommandLine;
using Spectre.Console;
using Unlearning;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Reproduce.Cli;

/// <summary>
/// <c>reproduce pin --seeds K</c>: runs the selected claim variants from seeds 1…K (each a replicate with its own split,
/// initialisation and draws; each seed's report in --out/seed-K), measures every pinned value's standard deviation across
/// the seeds, and widens the tolerances of the verified snapshot files to four of them where that exceeds the noise
/// tolerance written there (<see cref="SeedSpread"/>). The pinned values stay; --out/spread.md tabulates the spread.
/// </summary>
internal static class PinCommand
{
    public static Command Build()
    {
        var cmd = new Command("pin", "measure the pinned values' run-to-run spread over seeds 1..K and widen their snapshot tolerances to it");
        var seeds = new Option<int>("--seeds") { Description = "number of seeds (replicates), at least 2", DefaultValueFactory = _ => 3 };
        var scale = CommonOptions.Scale("ci");
        var data = CommonOptions.Data();
        var device = CommonOptions.Device();
        var outDir = new Option<string>("--out") { Description = "output directory (one run per seed, and spread.md)", DefaultValueFactory = _ => "artifacts/pin" };
        var paper = new Option<string?>("--paper") { Description = "one paper's claims: Healing | AMUN | Potion" };
        var claim = new Option<string?>("--claim") { Description = "one claim id (all its variants)" };
        var snapshots = new Option<string>("--snapshots") { Description = "the snapshot store to update", DefaultValueFactory = _ => Path.Combine("expected", "snapshots") };
        var dryRun = new Option<bool>("--dry-run") { Description = "measure and tabulate, change no snapshot file" };
        var received = new Option<bool>("--received") { Description = "train nothing: take every *.received.json of the store (a run on another CPU, thread count or seed) as a replicate of its verified file" };
        var replace = new Option<bool>("--replace") { Description = "with --received: the received files replace their verified files (a change that moved every value on purpose); tolerances never narrow; --out/repin.md lists old → new" };
        foreach (var o in new Option[] { seeds, scale, data, device, outDir, paper, claim, snapshots, dryRun, received, replace }) cmd.Options.Add(o);
        cmd.SetAction(r => r.GetValue(replace)
            ? Replace(CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(outDir)!, r.GetValue(snapshots)!, r.GetValue(dryRun), r.GetValue(received))
            : r.GetValue(received)
            ? FromReceived(CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(outDir)!, r.GetValue(snapshots)!, r.GetValue(dryRun))
            : Pin(r.GetValue(seeds), CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(data), r.GetValue(device), r.GetValue(outDir)!,
                r.GetValue(paper), r.GetValue(claim), r.GetValue(snapshots)!, r.GetValue(dryRun)));
        return cmd;
    }

    /// <summary>
    /// Each received file is a replicate of its verified one: the tolerances widen to four of the pair's standard deviation
    /// where that exceeds the noise tolerance, and the received file, absorbed, is removed (unless --dry-run).
    /// </summary>
    private static int FromReceived(Scale scale, string outDir, string snapshots, bool dryRun)
    {
        string scaleName = scale.ToString().ToLowerInvariant(), dir = StoreFolder(snapshots, scaleName);
        CommonOptions.PrepareOutput(outDir);
        var rows = new List<SeedSpread.Row>();
        var absorbed = new List<string>();
        foreach (var (receivedPath, verifiedPath) in ReceivedFiles(dir))
        {
            if (!File.Exists(verifiedPath))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]no verified file[/] for {receivedPath}: a new pin, accept it by renaming (README, Snapshots)");
                continue;
            }
            rows.AddRange(SeedSpread.FromReplicate(PinFile.Read(verifiedPath), PinFile.Read(receivedPath)));
            absorbed.Add(receivedPath);
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "spread.md"),
            $"# Spread against replicates ({scaleName}: received files beside their pins)\n\nTwo values per pin, so the standard deviation is |a − b| / √2; a tolerance is the larger of the noise tolerance and {Measured.Sigmas:0} of it; bold where the spread sets it.\n\n" +
            SeedSpread.Markdown(rows));
        AnsiConsole.MarkupLineInterpolated($"{absorbed.Count} received files, {rows.Count} values; the spread exceeds the noise tolerance for {rows.Count(r => r.Tolerance > r.NoiseTolerance)}; table in {Path.Combine(outDir, "spread.md")}");
        if (dryRun) return 0;
        var (written, _) = SeedSpread.Apply(rows, snapshots, scaleName);
        foreach (var f in written) AnsiConsole.MarkupLineInterpolated($"widened tolerances in {f}");
        foreach (var f in absorbed) File.Delete(f);
        return 0;
    }

    /// <summary>
    /// Each received file replaces its verified one (<see cref="Repin"/>); a received file without one is a new pin. Verified
    /// files the run wrote nothing for are listed: a pin of a variant that no longer exists is removed by hand.
    /// </summary>
    private static int Replace(Scale scale, string outDir, string snapshots, bool dryRun, bool received)
    {
        if (!received) throw new CliException("--replace: takes the received files of a run; give --received too");
        string scaleName = scale.ToString().ToLowerInvariant(), dir = StoreFolder(snapshots, scaleName);
        CommonOptions.PrepareOutput(outDir);
        var rows = new List<Repin.Row>();
        var replaced = new List<(string Received, string Verified, PinFile Pin)>();
        foreach (var (receivedPath, verifiedPath) in ReceivedFiles(dir))
        {
            var (pin, r) = Repin.Replace(File.Exists(verifiedPath) ? PinFile.Read(verifiedPath) : null, PinFile.Read(receivedPath));
            rows.AddRange(r);
            replaced.Add((receivedPath, verifiedPath, pin));
        }
        var covered = replaced.Select(x => x.Verified).ToHashSet(StringComparer.Ordinal);
        var stale = Directory.EnumerateFiles(dir, "*.verified.json").Where(p => !covered.Contains(p)).Order(StringComparer.Ordinal).ToList();
        AtomicFile.WriteAllText(Path.Combine(outDir, "repin.md"),
            $"# Re-pinned ({scaleName}): received files replace their pins\n\nA tolerance is the larger of the new noise tolerance and the pinned one (which holds the measured spread across CPUs, thread counts and seeds); the shift is in units of the old tolerance.\n\n" +
            Repin.Markdown(rows) + (stale.Count == 0 ? "" : "\nNo received file for: " + string.Join(", ", stale.Select(Path.GetFileName)) + "\n"));
        AnsiConsole.MarkupLineInterpolated($"{replaced.Count} received files, {rows.Count} values, {rows.Count(x => x.Old == null)} new; table in {Path.Combine(outDir, "repin.md")}");
        foreach (var s in stale) AnsiConsole.MarkupLineInterpolated($"[yellow]no received file[/] for {s}: not re-pinned (remove it if its variant is gone)");
        if (dryRun) return 0;
        foreach (var (receivedPath, verifiedPath, pin) in replaced)
        {
            pin.Write(verifiedPath);
            File.Delete(receivedPath);
        }
        return 0;
    }

    /// <summary>The store's folder of one scale; absent, an error saying where to run from.</summary>
    private static string StoreFolder(string snapshots, string scaleName)
    {
        string dir = Path.Combine(snapshots, scaleName);
        if (!Directory.Exists(dir)) throw new CliException($"--snapshots {snapshots}: no {scaleName}/ folder of verified files there (run from the repository root, or name the store)");
        return dir;
    }

    /// <summary>Every received file of a folder, in name order, with the verified file it stands beside.</summary>
    private static IEnumerable<(string Received, string Verified)> ReceivedFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.received.json").Order(StringComparer.Ordinal)
            .Select(r => (r, r[..^".received.json".Length] + ".verified.json"));

    private static int Pin(int seeds, Scale scale, string? dataRoot, string? deviceSetting, string outDir, string? paper, string? claimId, string snapshots, bool dryRun)
    {
        if (seeds < 2) throw new CliException($"--seeds {seeds}: a spread needs at least 2 seeds");
        CommonOptions.CheckDataRoot(dataRoot);
        CommonOptions.CheckSelection(paper, claimId);
        string scaleName = scale.ToString().ToLowerInvariant();
        if (!dryRun) StoreFolder(snapshots, scaleName);
        CommonOptions.PrepareOutput(outDir);
        var live = new LiveProgress();
        var runner = new ScenarioRunner(new DataCatalog(DataOptions.Resolve(dataRoot)), ModelCache.Default(), TorchRuntime.ResolveDevice(deviceSetting), live.Training);
        var runs = new List<RunResults>();
        for (long seed = 1; seed <= seeds; seed++)
        {
            string dir = Path.Combine(outDir, $"seed-{seed}");
            CommonOptions.PrepareOutput(dir);
            AnsiConsole.MarkupLineInterpolated($"[bold]reproduce pin[/] · scale {scaleName} · seed {seed} of {seeds} · out {Path.GetFullPath(dir)}");
            var session = new RunSession(runner, new RunPlan(scale, seed, dir, paper, claimId), new RunCommand.ConsoleObserver(live, (1, 1)),
                log: line => AnsiConsole.MarkupLineInterpolated($"    [grey]{line}[/]"));
            session.Run();
            runs.Add(session.Results!);
        }
        var rows = SeedSpread.Measure(runs);
        string table = SeedSpread.Markdown(rows);
        AtomicFile.WriteAllText(Path.Combine(outDir, "spread.md"),
            $"# Run-to-run spread over seeds 1–{seeds} ({scaleName})\n\nA tolerance is the larger of the value's noise tolerance and {Measured.Sigmas:0} standard deviations across the seeds; bold where the spread sets it.\n\n" + table);
        int widened = rows.Count(r => r.Tolerance > r.NoiseTolerance);
        AnsiConsole.MarkupLineInterpolated($"{rows.Count} pinned values over {seeds} seeds; the spread exceeds the noise tolerance for {widened}; table in {Path.Combine(outDir, "spread.md")}");
        if (dryRun) return 0;
        var (written, unpinned) = SeedSpread.Apply(rows, snapshots, scaleName);
        foreach (var f in written) AnsiConsole.MarkupLineInterpolated($"widened tolerances in {f}");
        foreach (var u in unpinned) AnsiConsole.MarkupLineInterpolated($"[yellow]not pinned yet[/] (no verified file; the tests pin it first): {u}");
        return 0;
    }
}
