using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Unlearning.Reporting;

/// <summary>
/// One claim variant of a dry run: whether its code path ran to the end, what it trained and evaluated, the architectures
/// and shapes it saw, and the process's resident memory after it.
/// </summary>
/// <param name="Claim">The claim id.</param>
/// <param name="Variant">The variant's name.</param>
/// <param name="Error">Null when the variant ran to its checks; else the exception's type and message.</param>
/// <param name="Trainings">Trainings and fine-tunings started.</param>
/// <param name="Steps">Optimiser steps they took (at most the step cap each).</param>
/// <param name="Forwards">Forward passes through a classifier.</param>
/// <param name="Shapes">Forward passes per "architecture: input → logits".</param>
/// <param name="RssBytes">Resident set size of the process after the variant, managed heap collected.</param>
/// <param name="Seconds">Wall time of the variant.</param>
/// <param name="Specs">The trainings it started, as configured before the caps, identical ones counted together (a model another
/// variant trained first, or one from the cache, is not among them).</param>
public sealed record DryRunVariant(string Claim, string Variant, string? Error, double Seconds, long Trainings, long Steps, long Forwards,
    IReadOnlyDictionary<string, long> Shapes, long RssBytes, IReadOnlyList<TrainingCount>? Specs = null)
{
    /// <summary>The variant ran through its checks without an exception.</summary>
    public bool Ran => Error == null;
}

/// <summary>How many trainings of one configuration a variant started.</summary>
public sealed record TrainingCount(TrainingSpec Spec, int Count);

/// <summary>
/// What a dry run proved: every variant of the scale through its real code path with every training, evaluation and attack
/// capped (<see cref="Limits"/>), on the real data where present and on labelled synthetic stand-ins where not. Nothing in
/// it is a result: it carries no verdicts, and it is written as dry-run.json / dry-run.md, never as results.json.
/// </summary>
/// <param name="Scale">The scale's name.</param>
/// <param name="Limits">The caps every training and evaluation ran under.</param>
/// <param name="Variants">One row per variant, in run order.</param>
/// <param name="Seconds">Wall time of the whole dry run.</param>
/// <param name="Device">The device it ran on.</param>
/// <param name="Synthetic">The datasets absent here that synthetic data of the real shape stood in for.</param>
/// <param name="RssStartBytes">Resident set size before the first variant.</param>
/// <param name="RssPeakBytes">The process's peak resident set size at the end (VmHWM).</param>
public sealed record DryRunResults(string Scale, IterationLimits Limits, IReadOnlyList<string> Synthetic, IReadOnlyList<DryRunVariant> Variants,
    long RssStartBytes, long RssPeakBytes, double Seconds, string Device)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The variants that threw.</summary>
    public IReadOnlyList<DryRunVariant> Failed => Variants.Where(v => !v.Ran).ToList();

    /// <summary>Resident memory after the last variant minus before the first (what the run kept: fixtures' shared models, or a leak).</summary>
    public long RssGrowthBytes => Variants.Count == 0 ? 0 : Variants[^1].RssBytes - RssStartBytes;

    /// <summary>Variants whose trainings took more steps than the cap allows: a loop the cap does not reach.</summary>
    public IReadOnlyList<DryRunVariant> OverCap => Variants.Where(v => v.Steps > v.Trainings * Limits.Steps).ToList();

    /// <summary>dry-run.json.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>dry-run.md: one row per variant, then the architectures and shapes seen.</summary>
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        static string Mb(long b) => (b / 1048576.0).ToString("0", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine($"# Dry run · scale {Scale}");
        sb.AppendLine();
        sb.AppendLine($"Every training capped at {Limits.Steps} steps, every evaluation at {Limits.EvalBatches} batches, batches at {Limits.BatchSize} samples, on {Device}. " +
                      "**These numbers are not results**: the run proves the code path, and prints no verdicts.");
        sb.AppendLine();
        sb.AppendLine(Synthetic.Count == 0 ? "All data sets are the real ones."
            : $"Absent here, stood in by seeded synthetic data of the real shape and class count: {string.Join(", ", Synthetic)}.");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"{Variants.Count} variants, {Failed.Count} failed, {Variants.Sum(v => v.Trainings)} trainings, {Variants.Sum(v => v.Steps)} steps, {Seconds:0} s. " +
                      $"Resident memory {Mb(RssStartBytes)} MB before the first variant, {Mb(Variants.Count == 0 ? RssStartBytes : Variants[^1].RssBytes)} MB after the last " +
                      $"(growth {Mb(RssGrowthBytes)} MB, peak {Mb(RssPeakBytes)} MB)."));
        sb.AppendLine();
        sb.AppendLine("| claim | variant | ran | s | trainings | steps | forwards | architectures: input → logits | RSS MB |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---|---:|");
        foreach (var v in Variants)
        {
            string shapes = string.Join("; ", v.Shapes.GroupBy(s => s.Key[..s.Key.IndexOf(':')])
                .Select(g => $"{g.Key} {string.Join(", ", g.Select(s => s.Key[(s.Key.IndexOf(':') + 2)..]).Take(3))}{(g.Count() > 3 ? ", …" : "")}"));
            string ran = v.Ran ? "yes" : "**no**: " + v.Error!.Replace("|", "\\|").Replace("\n", " ");
            sb.AppendLine(string.Create(inv, $"| {v.Claim} | {v.Variant} | {ran} | {v.Seconds:0.0} | {v.Trainings} | {v.Steps} | {v.Forwards} | {shapes} | {Mb(v.RssBytes)} |"));
        }
        return sb.ToString();
    }
}

/// <summary>
/// A dry run of a scale (<c>reproduce run --scale paper --dry-run</c>): the scale's profile as <see cref="ScaleProfile.DryRun"/>
/// caps it, every selected variant run through the registry the tests use with a <see cref="PathTrace"/> open, one line per
/// variant (an exception is that variant's error, the run goes on). The runner should read absent data as synthetic
/// (<see cref="DataOptions.SyntheticWhenAbsent"/>) and use a model cache of its own: capped models have keys of their own,
/// but nothing of a dry run belongs beside real models.
/// </summary>
public sealed class DryRunSession(ScenarioRunner runner, RunPlan plan, IterationLimits limits, Action<int, int, DryRunVariant>? finished = null, Action<string>? log = null)
{
    /// <summary>Runs the plan's variants; writes dry-run.json and dry-run.md into the plan's output directory.</summary>
    public DryRunResults Run()
    {
        var clock = Stopwatch.StartNew();
        var profile = ScaleProfile.For(plan.Scale).WithSeed(plan.Seed).DryRun(limits);
        using var suites = new Suites(runner, profile, log);
        var selected = plan.Select(suites.Registry.All);
        var synthetic = Enum.GetValues<DatasetId>().Where(id => !runner.Catalog.Check(id).Present).Select(id => id.ToString()).ToList();
        long start = ProcessMemory.Resident();
        var rows = new List<DryRunVariant>();
        var outcomes = new List<ClaimResult>();
        foreach (var v in selected)
        {
            var trace = new PathTrace();
            var watch = Stopwatch.StartNew();
            string? error = null;
            using (PathTrace.Begin(trace))
            {
                try { outcomes.Add(ClaimResult.From(suites.Registry.Run(v.Claim, v.Variant), profile.Name, plan.Seed.ToString(CultureInfo.InvariantCulture))); }
                catch (Exception e) when (e is not OutOfMemoryException) { error = $"{e.GetType().Name}: {e.Message}"; }
            }
            var specs = trace.Specs.GroupBy(s => s).Select(g => new TrainingCount(g.Key, g.Count())).ToList();
            var row = new DryRunVariant(v.Claim, v.Variant, error, watch.Elapsed.TotalSeconds, trace.Trainings, trace.Steps, trace.Forwards, trace.Shapes,
                ProcessMemory.Resident(), specs);
            rows.Add(row);
            finished?.Invoke(rows.Count, selected.Count, row);
        }
        if (RenderReport(outcomes) is { } reportError) rows.Add(new DryRunVariant("report", "report.md, results.csv and figures", reportError, 0, 0, 0, 0, new Dictionary<string, long>(), ProcessMemory.Resident()));
        var results = new DryRunResults(profile.Name, limits, synthetic, rows, start, ProcessMemory.Peak(), clock.Elapsed.TotalSeconds, runner.Device.ToString());
        Directory.CreateDirectory(plan.OutDir);
        AtomicFile.WriteAllText(Path.Combine(plan.OutDir, "dry-run.json"), results.ToJson());
        AtomicFile.WriteAllText(Path.Combine(plan.OutDir, "dry-run.md"), results.ToMarkdown());
        return results;
    }

    /// <summary>
    /// Renders the report, the CSV and the figures of the dry run's rows into a scratch directory that is then removed (the
    /// report's path runs; its numbers are not results). Returns null, or the error.
    /// </summary>
    private string? RenderReport(IReadOnlyList<ClaimResult> rows)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"reproduce-dry-run-report-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var env = new RunEnvironment(TorchRuntime.Describe(), $".NET {Environment.Version}", System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                runner.Device.ToString(), [], DateTime.UtcNow, "dry run");
            Directory.CreateDirectory(scratch);
            ReportWriter.Write(scratch, new RunResults(env, [], rows));
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return $"{e.GetType().Name}: {e.Message}"; }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }
}

/// <summary>The process's resident memory, libtorch's native tensors included (Linux /proc; the working set elsewhere).</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size now, after a full managed collection (so that finalisable tensors are released first).</summary>
    public static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Status("VmRSS:") ?? Environment.WorkingSet;
    }

    /// <summary>Peak resident set size of the process so far.</summary>
    public static long Peak() => Status("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

    private static long? Status(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith(field, StringComparison.Ordinal)
                && long.TryParse(line[field.Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                return kb * 1024;
        return null;
    }
}
