namespace Unlearning.Claims;

/// <summary>
/// What a claim's code measures for one variant: its checks (empty for a value claim), its values, a note and its figures.
/// It carries no identity: the <see cref="ClaimRegistry"/> stamps the claim id, the variant and the time when it turns a
/// finding into a <see cref="ClaimOutcome"/>, so a claim cannot mislabel its own outcome.
/// </summary>
public sealed record Finding(IReadOnlyList<Check> Checks, IReadOnlyDictionary<string, Measured> Values, string Note = "", IReadOnlyList<FigureData>? Figures = null)
{
    /// <summary>The checks built so far, with the values, note and figures beside them.</summary>
    public static Finding Of(OrderChecks checks, IReadOnlyDictionary<string, Measured>? values = null, string note = "", params FigureData[] figures) =>
        new(checks.Checks, values ?? new Dictionary<string, Measured>(), note, figures);

    /// <summary>A value claim: no checks, the values beside the paper's.</summary>
    public static Finding OfValues(IReadOnlyDictionary<string, Measured> values, string note = "", params FigureData[] figures) => new([], values, note, figures);
}
