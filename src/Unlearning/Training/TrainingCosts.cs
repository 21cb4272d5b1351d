using System.Globalization;
using System.Text.Json;

namespace Unlearning.Training;

/// <summary>
/// The trainings of one kind in a model cache: same scenario (its name without the seed suffix), architecture, epochs and
/// training-set size — e.g. the eight RMIA reference models of one scenario, or the SISA shard models of one run.
/// <see cref="Seconds"/> is the wall time their manifests record (the training alone, not its evaluation).
/// </summary>
public sealed record TrainingCost(string Scenario, string Model, int Epochs, int TrainImages, int Models, double Seconds, long Images)
{
    /// <summary>Training throughput over the group.</summary>
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : double.NaN;
}

/// <summary>
/// Where a run's training time went, read from the manifests of the model cache it filled: one row per kind of training,
/// the most expensive first. A cold run's cache holds every model the run trained once, so this attributes the time to
/// what was trained rather than to the test that happened to ask for a shared model first.
/// </summary>
public static class TrainingCosts
{
    /// <summary>The groups of <paramref name="cacheDirectory"/>, by total seconds, descending.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">A manifest is not valid JSON or lacks its metadata; names the file.</exception>
    public static IReadOnlyList<TrainingCost> Read(string cacheDirectory)
    {
        if (!Directory.Exists(cacheDirectory)) throw new DirectoryNotFoundException($"{cacheDirectory}: no model cache here");
        var cache = new ModelCache(cacheDirectory);
        var rows = new List<(string Scenario, string Model, int Epochs, int TrainImages, double Seconds, long Images)>();
        foreach (string key in cache.Keys())
        {
            string path = cache.ManifestPath(key);
            CacheManifest? manifest;
            try { manifest = cache.ReadManifest(key); }
            catch (JsonException e) { throw new InvalidDataException($"{path}: not a model-cache manifest ({e.Message})", e); }
            if (manifest?.Metadata == null) throw new InvalidDataException($"{path}: not a model-cache manifest (no metadata)");
            var m = manifest.Metadata;
            var (model, epochs) = Describe(path, m);
            rows.Add((ScenarioName(m), model, epochs, (int)Number(m, "trainImages", -1), Number(m, "seconds", 0), (long)Number(m, "images", 0)));
        }
        return rows.GroupBy(r => (r.Scenario, r.Model, r.Epochs, r.TrainImages))
            .Select(g => new TrainingCost(g.Key.Scenario, g.Key.Model, g.Key.Epochs, g.Key.TrainImages, g.Count(), g.Sum(r => r.Seconds), g.Sum(r => r.Images)))
            .OrderByDescending(c => c.Seconds).ThenBy(c => c.Scenario, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The scenario name without the <c>.seedN</c> suffix <see cref="Scenarios.Scenario.WithSeed"/> adds; "(unnamed)" for older entries.</summary>
    public static string ScenarioName(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name)) return "(unnamed)";
        int at = name.LastIndexOf(".seed", StringComparison.Ordinal);
        return at > 0 && name[(at + 5)..].All(char.IsAsciiDigit) && at + 5 < name.Length ? name[..at] : name;
    }

    private static (string Model, int Epochs) Describe(string path, IReadOnlyDictionary<string, string> m)
    {
        if (!m.TryGetValue("scenario", out var json)) return ("?", -1);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            string model = root.GetProperty("Model").GetProperty("Kind").GetString() ?? "?";
            int epochs = root.GetProperty("Training").GetProperty("Epochs").GetInt32();
            return (model, epochs);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: its scenario metadata is not a scenario ({e.Message})", e);
        }
    }

    private static double Number(IReadOnlyDictionary<string, string> m, string key, double fallback) =>
        m.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : fallback;
}
