using System.Text.Json;
using System.Text.Json.Serialization;
using Unlearning.Data;

namespace Unlearning.Reporting;

/// <summary>Verdict words of the report.</summary>
public static class Verdicts
{
    /// <summary>An order/trend claim held, or a value claim matched within tolerance at paper scale.</summary>
    public const string Reproduced = "reproduced";
    /// <summary>Measured, and it does not hold: numbers in the note.</summary>
    public const string Deviates = "deviates";
    /// <summary>A value claim measured at a reduced scale: shown beside the paper's number, not judged.</summary>
    public const string NeedsPaperScale = "needs paper scale";
    /// <summary>Not run; the note says why.</summary>
    public const string Skipped = "skipped";
}

/// <summary>One claim × variant row of the report.</summary>
public sealed record ClaimResult(string Claim, string Variant, string Verdict, string PaperValue, string Ours, string Scale, string Seeds, double Seconds, string Note);

/// <summary>A base model trained by the run.</summary>
public sealed record BaseModelResult(string Scenario, string Hash, string Dataset, string Model, int Train, int Test, double TrainAccuracy, double TestAccuracy, bool FromCache, double Seconds, double ImagesPerSecond, IReadOnlyList<double> EpochLosses);

/// <summary>The environment block of the report.</summary>
public sealed record RunEnvironment(string Torch, string Dotnet, string Os, string Device, IReadOnlyList<DataFileStatus> DataFiles, DateTime StartedUtc);

/// <summary>Everything a run produced (<c>results.json</c>); the report is rendered from this alone.</summary>
public sealed record RunResults(RunEnvironment Environment, IReadOnlyList<BaseModelResult> BaseModels, IReadOnlyList<ClaimResult> Claims)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

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
