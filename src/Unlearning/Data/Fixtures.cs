namespace Unlearning.Data;

/// <summary>
/// The embedded data directory (<c>fixtures/</c>): copied beside every binary at build time, found by walking up
/// to the repository otherwise. <c>fixtures/SHA256SUMS</c> records each file's SHA-256 (sha256sum format).
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> Dir = new(Find);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sums = new(ReadSums);

    /// <summary>Absolute path of the fixtures directory.</summary>
    public static string Directory => Dir.Value;

    /// <summary>SHA-256 recorded for a path relative to the fixtures directory, or null.</summary>
    public static string? RecordedSha256(string relativePath) => Sums.Value.TryGetValue(relativePath, out var s) ? s : null;

    private static string Find()
    {
        string? env = Environment.GetEnvironmentVariable("REPRO_FIXTURES");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        string beside = Path.Combine(AppContext.BaseDirectory, "fixtures");
        if (File.Exists(Path.Combine(beside, "SHA256SUMS"))) return beside;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "fixtures");
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS"))) return candidate;
        }
        return beside;
    }

    private static IReadOnlyDictionary<string, string> ReadSums()
    {
        string path = Path.Combine(Directory, "SHA256SUMS");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return map;
        foreach (string line in File.ReadAllLines(path))
        {
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0].Length == 64) map[parts[1].TrimStart('*').Trim()] = parts[0];
        }
        return map;
    }
}
