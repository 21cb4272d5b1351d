using System.Text.Json;
using Unlearning.Data;

namespace Unlearning.Claims;

/// <summary>
/// A snapshot file, <c>expected/snapshots/{scale}/{name}.verified.json</c> (or <c>.received.json</c>): a claim variant's
/// pinned values and the absolute tolerance each may drift by, and the theory that owns it. The tests compare every run
/// with it; <c>reproduce pin --seeds K</c> widens its tolerances to the values' run-to-run spread.
/// </summary>
public sealed record PinFile(string Name, string Test, string Variant, string Scale, SortedDictionary<string, double> Metrics, SortedDictionary<string, double> Tolerances)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The snapshot name of a claim variant: "{claim}.{variant}" with the variant made file-safe ("S_f=10%" → "S_f10pct").</summary>
    public static string NameOf(string claim, string variant)
    {
        if (variant.Length == 0) return claim;
        string v = variant.Replace("%", "pct").Replace("=", "").Replace(", ", ".");
        v = System.Text.RegularExpressions.Regex.Replace(v, "[^A-Za-z0-9._-]+", "-").Trim('-', '.');
        return $"{claim}.{v}";
    }

    /// <summary>Reads a snapshot file; a malformed file is an error naming it.</summary>
    public static PinFile Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PinFile>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty snapshot file");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: malformed snapshot ({e.Message})", e); }
    }

    /// <summary>Writes the file atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
