using System.Diagnostics;

namespace Unlearning.Claims;

/// <summary>
/// One runnable variant of a claim. <see cref="Run"/> returns what it measured (checks, values, note, figures); the registry
/// stamps the claim id, the variant and the time, and adds the controls and the known-deviation entry.
/// <see cref="Controls"/>: the same checks with a control model in the method's place.
/// </summary>
public sealed record ClaimVariant(string Claim, string Variant, Func<Finding> Run, IReadOnlyList<Control>? Controls = null);

/// <summary>
/// A control of a claim variant: its checks run with <see cref="Name"/> (e.g. "None", the untouched model) in place of the
/// method. A negative control must not pass them (else the claim is vacuous); a positive one (the retrained model where the
/// claim says "as good as retraining") must.
/// </summary>
public sealed record Control(string Name, bool Negative, Func<Finding> Run)
{
    /// <summary>The negative control of a claim about a method: <paramref name="run"/> with "None" (the untouched model) in the method's place.</summary>
    public static Control[] None(Func<string?, Finding> run) => [new Control("None", Negative: true, () => run("None"))];
}

/// <summary>The claims of one table or figure of a paper: their runnable variants, over the paper's fixture.</summary>
public interface IClaimGroup
{
    /// <summary>Every variant of the group's claims, in report order. Listing runs nothing.</summary>
    IEnumerable<ClaimVariant> Variants { get; }
}

/// <summary>A paper's runnable claims: its claim groups over one fixture of shared, lazily trained state (one per process).</summary>
public interface IClaimSuite
{
    /// <summary>"Potion", "AMUN", "Healing".</summary>
    string Paper { get; }

    /// <summary>The paper's tables and figures, in report order.</summary>
    IReadOnlyList<IClaimGroup> Groups { get; }
}

/// <summary>
/// Every runnable claim variant of the suites in this build. The tests (one theory per claim, one case per variant) and
/// <c>reproduce run</c> both go through here, so there is one implementation of each claim.
/// </summary>
public sealed class ClaimRegistry(IEnumerable<IClaimSuite> suites, string scale = "ci")
{
    private readonly IReadOnlyList<IClaimSuite> _suites = suites.ToList();

    /// <summary>All variants, suite by suite.</summary>
    public IEnumerable<ClaimVariant> All => _suites.SelectMany(s => s.Groups).SelectMany(g => g.Variants);

    /// <summary>The variant names of a claim (for a theory's MemberData).</summary>
    public IReadOnlyList<string> VariantsOf(string claim)
    {
        ClaimCatalog.Get(claim);
        return All.Where(v => v.Claim == claim).Select(v => v.Variant).ToList();
    }

    /// <summary>
    /// Runs one variant's control <paramref name="control"/> ("None": the untouched model in the method's place) as if it
    /// were the variant, with the variant's controls beside it: a no-op method's outcome. Its verdict is never
    /// "reproduced" — vacuous when the checks pass it, deviates or unresolved when they reject it.
    /// </summary>
    public ClaimOutcome RunControl(string claim, string variant, string control)
    {
        var v = Find(claim, variant);
        var c = v.Controls?.FirstOrDefault(x => x.Name == control)
                ?? throw new KeyNotFoundException($"{claim} [{variant}] has no control '{control}' (known: {string.Join(", ", (v.Controls ?? []).Select(x => x.Name))})");
        return Run(v with { Run = c.Run });
    }

    /// <summary>Runs one variant, timed. Unknown claim or variant → <see cref="KeyNotFoundException"/> naming the known ones.</summary>
    public ClaimOutcome Run(string claim, string variant)
    {
        return Run(Find(claim, variant));
    }

    private ClaimVariant Find(string claim, string variant) =>
        All.FirstOrDefault(x => x.Claim == claim && x.Variant == variant)
        ?? throw new KeyNotFoundException($"claim {claim} has no variant '{variant}' (known: {string.Join(", ", VariantsOf(claim))})");

    private ClaimOutcome Run(ClaimVariant v)
    {
        string claim = v.Claim, variant = v.Variant;
        var clock = Stopwatch.StartNew();
        var found = v.Run();
        var controls = (v.Controls ?? []).Select(c =>
        {
            var o = Stamp(claim, variant, c.Run(), 0);
            bool passes = o.Holds && !o.Invalid;
            int open = o.Checks.Count(k => !k.Holds);
            return new ControlResult(c.Name, c.Negative, passes, o.Invalid || o.Contradicted().Count > 0,
                passes ? $"all {o.Checks.Count} checks hold" : $"{open} of {o.Checks.Count} checks do not hold");
        }).ToList();
        // At paper scale a value claim is judged against the paper's numbers with the catalog's δ.
        if (scale == "paper" && found.Checks.Count == 0) found = found with { Checks = PaperComparison.Checks(claim, found.Values) };
        var outcome = Stamp(claim, variant, found, clock.Elapsed.TotalSeconds);
        var known = KnownDeviations.Find(claim, variant, scale);
        string note = outcome.Note;
        if (known != null && !outcome.Holds) note = known.Why + (note.Length > 0 ? " " + note : "");
        return outcome with { Controls = controls, KnownDeviation = known, Note = note };
    }

    private static ClaimOutcome Stamp(string claim, string variant, Finding f, double seconds) =>
        new(claim, variant, f.Checks, f.Values, f.Note, seconds, f.Figures ?? []);
}
