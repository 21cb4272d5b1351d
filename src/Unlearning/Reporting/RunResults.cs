using System.Text.Json;
using System.Text.Json.Serialization;
using Unlearning.Data;

namespace Unlearning.Reporting;

/// <summary>Verdict words of the report.</summary>
public static class Verdicts
{
    /// <summary>Every check holds: each difference's 95% interval lies on the claim's side (equivalences: the 90% interval inside ±δ).</summary>
    public const string Reproduced = "reproduced";
    /// <summary>A check is contradicted after a Holm correction over the claim's checks: numbers in the note.</summary>
    public const string Deviates = "deviates";
    /// <summary>No check is contradicted, but some straddle their boundary: the row says which way they lean and what would resolve them.</summary>
    public const string Unresolved = "unresolved at this scale";
    /// <summary>The scenario fails its validity precondition (e.g. the backdoor did not implant): nothing about the claim can be judged there.</summary>
    public const string Invalid = "invalid scenario";
    /// <summary>The untouched model passes the claim's checks: they cannot tell the method from doing nothing.</summary>
    public const string Vacuous = "vacuous";
    /// <summary>The positive control (e.g. the retrained model) fails the claim's checks: they demand more than the claim says.</summary>
    public const string ControlFailed = "control failed";
    /// <summary>A value claim measured at a reduced scale: shown beside the paper's number, not judged.</summary>
    public const string NeedsPaperScale = "needs paper scale";
    /// <summary>Not run; the note says why.</summary>
    public const string Skipped = "skipped";
}

/// <summary>
/// One claim × variant row of the report: the verdict, the paper's and our numbers as short cells, and — when it came
/// from a run — the checks, the measured values and the figure data, so a report can be re-rendered without recomputing.
/// </summary>
public sealed record ClaimResult(string Claim, string Variant, string Verdict, string PaperValue, string Ours, string Scale, string Seeds, double Seconds, string Note)
{
    /// <summary>The checks of an order/trend claim (empty for value claims).</summary>
    public IReadOnlyList<Claims.Check> Checks { get; init; } = [];

    /// <summary>The measured values with the paper's numbers.</summary>
    public IReadOnlyDictionary<string, Claims.Measured> Values { get; init; } = new Dictionary<string, Claims.Measured>();

    /// <summary>The figures this variant produced (data; the PNGs are rendered from it).</summary>
    public IReadOnlyList<Claims.FigureData> Figures { get; init; } = [];

    /// <summary>A report row from a claim outcome.</summary>
    public static ClaimResult From(Claims.ClaimOutcome o, string scale, string seeds) =>
        new(o.Claim, o.Variant, o.Verdict(scale), o.PaperSummary(), o.Summary(), scale, seeds, o.Seconds, o.Note)
        { Checks = o.Checks, Values = o.Values, Figures = o.Figures };

    /// <summary>A row for a variant that could not be judged (invalid scenario, unsupported scale, error), with the reason.</summary>
    public static ClaimResult NotRun(string claim, string variant, string scale, string seeds, double seconds, string why) =>
        new(claim, variant, Verdicts.Skipped, "", "", scale, seeds, seconds, why);

    /// <summary>Value equality including the run details (records compare collections by reference).</summary>
    public bool SameAs(ClaimResult o) => this == o ||
        (Claim, Variant, Verdict, PaperValue, Ours, Scale, Seeds, Seconds, Note) == (o.Claim, o.Variant, o.Verdict, o.PaperValue, o.Ours, o.Scale, o.Seeds, o.Seconds, o.Note)
        && Checks.SequenceEqual(o.Checks) && Values.Count == o.Values.Count && Values.All(v => o.Values.TryGetValue(v.Key, out var w) && w == v.Value)
        && Figures.Count == o.Figures.Count;
}

/// <summary>A base model trained by the run.</summary>
public sealed record BaseModelResult(string Scenario, string Hash, string Dataset, string Model, int Train, int Test, double TrainAccuracy, double TestAccuracy, bool FromCache, double Seconds, double ImagesPerSecond, IReadOnlyList<double> EpochLosses);

/// <summary>
/// The environment block of the report. <see cref="Selection"/> is the run's filter as typed ("--paper Potion",
/// "--shard 2/4"; null: every claim); <see cref="RunClaims"/> the ids of the claims this build has run variants of, so that
/// the report can tell a claim left out by the filter from one that only <c>dotnet test</c> checks (null in files written
/// before these fields existed).
/// </summary>
public sealed record RunEnvironment(string Torch, string Dotnet, string Os, string Device, IReadOnlyList<DataFileStatus> DataFiles, DateTime StartedUtc,
    string? Selection = null, IReadOnlyList<string>? RunClaims = null);

/// <summary>Everything a run produced (<c>results.json</c>); the report is rendered from this alone.</summary>
public sealed record RunResults(RunEnvironment Environment, IReadOnlyList<BaseModelResult> BaseModels, IReadOnlyList<ClaimResult> Claims)
{
    /// <summary>
    /// Joins runs (shards of one grid, or a rerun of some claims): rows are keyed by (claim, variant, scale, seeds), a
    /// later run's row replacing an earlier one; base models by hash; the first run's environment, with every data file seen.
    /// </summary>
    public static RunResults Merge(IReadOnlyList<RunResults> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("nothing to merge", nameof(runs));
        var claims = new Dictionary<(string, string, string, string), ClaimResult>();
        var order = new List<(string, string, string, string)>();
        var bases = new Dictionary<string, BaseModelResult>();
        foreach (var run in runs)
        {
            foreach (var c in run.Claims)
            {
                var key = (c.Claim, c.Variant, c.Scale, c.Seeds);
                if (!claims.ContainsKey(key)) order.Add(key);
                claims[key] = c;
            }
            foreach (var b in run.BaseModels) bases[b.Hash] = b;
        }
        var files = runs.SelectMany(r => r.Environment.DataFiles).DistinctBy(f => f.Path).ToList();
        // Shards of one grid cover it together: the merged selection names each part, and is "every claim" when one run was unfiltered.
        string? selection = runs.Any(r => r.Environment.Selection == null) ? null
            : string.Join(" + ", runs.Select(r => r.Environment.Selection!).Distinct());
        var runClaims = runs.Any(r => r.Environment.RunClaims != null)
            ? runs.SelectMany(r => r.Environment.RunClaims ?? []).Distinct().ToList() : null;
        return new RunResults(runs[0].Environment with { DataFiles = files, Selection = selection, RunClaims = runClaims }, bases.Values.ToList(),
            order.Select(k => claims[k]).ToList());
    }

    // A value reported beside the paper's but not pinned carries a NaN tolerance (Measured.Reported): written as "NaN".
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, Converters = { new JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serialises to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a results file, or null when absent; a corrupt file is an error naming it.</summary>
    public static RunResults? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RunResults>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a results file ({e.Message})", e); }
    }
}
