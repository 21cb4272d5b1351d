using System.Text.Json;
using System.Text.Json.Serialization;

namespace Unlearning.Claims;

/// <summary>
/// One claim of a paper (or of this harness, ★): its stable id, paper, kind and location (CLAIMS.md), and the kinds of check
/// it is judged by, each with its δ and the paper's sentence (or the stated choice) that fixes it.
/// </summary>
public sealed record Claim(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("paper")] string Paper,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("where")] string Where,
    [property: JsonPropertyName("claim")] string Text)
{
    /// <summary>The claim's kinds of check with their margins (none for value claims, properties and benchmarks).</summary>
    [JsonPropertyName("checks")]
    public IReadOnlyList<CheckSpec> Checks { get; init; } = [];

    /// <summary>
    /// The δ the catalog states for this claim's checks of <paramref name="kind"/> ("non-inferiority", "equivalence"); where a
    /// claim has two checks of one kind on different quantities, <paramref name="on"/> names the quantity (the spec's "on").
    /// </summary>
    public double Delta(string kind, string? on = null) =>
        Checks.FirstOrDefault(c => c.Kind == kind && c.On == on)?.Delta
        ?? throw new KeyNotFoundException($"catalog.json: claim {Id} states no δ for a {kind} check{(on is null ? "" : $" on {on}")}");
}

/// <summary>
/// A kind of check a claim is judged by: "order", "non-inferiority" or "equivalence", its margin δ in <see cref="Unit"/>
/// (none for an order), and <see cref="Why"/>: the paper's sentence that fixes it, or the stated choice where the paper gives none.
/// <see cref="On"/> names the quantity when a claim judges two quantities by checks of the same kind (e.g. healing and damage).
/// </summary>
public sealed record CheckSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("why")] string Why,
    [property: JsonPropertyName("delta")] double? Delta = null,
    [property: JsonPropertyName("unit")] string? Unit = null,
    [property: JsonPropertyName("on")] string? On = null);

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
