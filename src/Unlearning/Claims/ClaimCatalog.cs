using System.Text.Json;
using System.Text.Json.Serialization;

namespace Unlearning.Claims;

/// <summary>One claim of a paper (or of this harness, ★): its stable id, paper, kind and location (CLAIMS.md).</summary>
public sealed record Claim(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("paper")] string Paper,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("where")] string Where,
    [property: JsonPropertyName("claim")] string Text);

/// <summary>The catalog of claims: data (an embedded <c>catalog.json</c>), not code paths.</summary>
public static class ClaimCatalog
{
    private static readonly Lazy<IReadOnlyList<Claim>> All_ = new(Load);

    /// <summary>Every claim, in the papers' order.</summary>
    public static IReadOnlyList<Claim> All => All_.Value;

    /// <summary>The claim with <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> listing close ids otherwise.</summary>
    public static Claim Get(string id) =>
        All.FirstOrDefault(c => c.Id == id)
        ?? throw new KeyNotFoundException($"unknown claim '{id}'" + Suggest(id));

    private static string Suggest(string id)
    {
        var close = All.Where(c => c.Id.StartsWith(id.Split('.')[0] + ".", StringComparison.OrdinalIgnoreCase)).Select(c => c.Id).Take(8).ToList();
        return close.Count == 0 ? "" : $" (known ids with that prefix: {string.Join(", ", close)})";
    }

    private static IReadOnlyList<Claim> Load()
    {
        using var s = typeof(ClaimCatalog).Assembly.GetManifestResourceStream("Unlearning.Claims.catalog.json")
                      ?? throw new InvalidOperationException("embedded claim catalog missing from the assembly");
        return JsonSerializer.Deserialize<List<Claim>>(s) ?? [];
    }
}
