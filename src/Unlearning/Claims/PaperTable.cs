using System.Globalization;
using System.Text.Json;

namespace Unlearning.Claims;

/// <summary>
/// A table of a paper's numbers, transcribed once into <c>expected/paper/{paper}/{table}.json</c> (embedded in
/// this library). Rows are objects of named cells; <see cref="Value"/> looks one number up by matching cells.
/// </summary>
public sealed class PaperTable
{
    private readonly JsonDocument _doc;

    private PaperTable(string name, JsonDocument doc) { Name = name; _doc = doc; }

    /// <summary>"{paper}/{table}", e.g. "healing/table1".</summary>
    public string Name { get; }

    /// <summary>Where in the paper the numbers come from.</summary>
    public string Source => _doc.RootElement.GetProperty("source").GetString() ?? "";

    /// <summary>The rows.</summary>
    public IEnumerable<JsonElement> Rows => _doc.RootElement.GetProperty("rows").EnumerateArray();

    /// <summary>The number in <paramref name="column"/> of the single row whose cells match <paramref name="where"/>.</summary>
    public double Value(string column, params (string Cell, string Is)[] where)
    {
        var rows = Rows.Where(r => where.All(w => r.TryGetProperty(w.Cell, out var c) && c.ToString() == w.Is)).ToList();
        string cond = string.Join(", ", where.Select(w => $"{w.Cell}={w.Is}"));
        if (rows.Count != 1) throw new KeyNotFoundException($"{Name}: {rows.Count} rows match {cond} (expected exactly one)");
        if (!rows[0].TryGetProperty(column, out var v) || v.ValueKind != JsonValueKind.Number)
            throw new KeyNotFoundException($"{Name}: the row {cond} has no number in column '{column}'");
        return v.GetDouble();
    }

    /// <summary>
    /// The number in <paramref name="column"/> of the row whose cells match <paramref name="where"/>, or null where the paper
    /// has no such row or leaves the cell empty; several matching rows are an error in the transcription.
    /// </summary>
    public double? TryValue(string column, params (string Cell, string Is)[] where)
    {
        var rows = Rows.Where(r => where.All(w => r.TryGetProperty(w.Cell, out var c) && c.ToString() == w.Is)).ToList();
        if (rows.Count > 1) throw new KeyNotFoundException($"{Name}: {rows.Count} rows match {string.Join(", ", where.Select(w => $"{w.Cell}={w.Is}"))} (expected at most one)");
        return rows.Count == 1 && rows[0].TryGetProperty(column, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
    }

    /// <summary>Formats a paper number for the report.</summary>
    public static string Format(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Loads an embedded table, e.g. <c>PaperTable.Load("healing/table1")</c>.</summary>
    public static PaperTable Load(string name)
    {
        string wanted = ("Unlearning.Paper." + name + ".json").Replace('/', '.');
        var assembly = typeof(PaperTable).Assembly;
        string? resource = assembly.GetManifestResourceNames().FirstOrDefault(r => r.Replace('/', '.').Replace('\\', '.') == wanted);
        using var s = (resource == null ? null : assembly.GetManifestResourceStream(resource))
                      ?? throw new KeyNotFoundException($"no transcribed paper table '{name}' (expected/paper/{name}.json)");
        return new PaperTable(name, JsonDocument.Parse(s));
    }
}
