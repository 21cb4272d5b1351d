using System.Diagnostics;

namespace Unlearning.Claims;

/// <summary>One runnable variant of a claim. <see cref="Run"/> returns the checks and values; timing is added by the registry.</summary>
public sealed record ClaimVariant(string Claim, string Variant, Func<ClaimOutcome> Run);

/// <summary>A paper's runnable claims over shared, lazily trained state (one per process).</summary>
public interface IClaimSuite
{
    /// <summary>"Potion", "AMUN", "Healing".</summary>
    string Paper { get; }

    /// <summary>Every variant of every claim the suite implements, in report order. Listing runs nothing.</summary>
    IReadOnlyList<ClaimVariant> Variants { get; }
}

/// <summary>
/// Every runnable claim variant of the suites in this build. The tests (one theory per claim, one case per variant) and
/// <c>reproduce run</c> both go through here, so there is one implementation of each claim.
/// </summary>
public sealed class ClaimRegistry(IEnumerable<IClaimSuite> suites)
{
    private readonly IReadOnlyList<IClaimSuite> _suites = suites.ToList();

    /// <summary>All variants, suite by suite.</summary>
    public IEnumerable<ClaimVariant> All => _suites.SelectMany(s => s.Variants);

    /// <summary>The variant names of a claim (for a theory's MemberData).</summary>
    public IReadOnlyList<string> VariantsOf(string claim)
    {
        ClaimCatalog.Get(claim);
        return All.Where(v => v.Claim == claim).Select(v => v.Variant).ToList();
    }

    /// <summary>Runs one variant, timed. Unknown claim or variant → <see cref="KeyNotFoundException"/> naming the known ones.</summary>
    public ClaimOutcome Run(string claim, string variant)
    {
        var v = All.FirstOrDefault(x => x.Claim == claim && x.Variant == variant)
                ?? throw new KeyNotFoundException($"claim {claim} has no variant '{variant}' (known: {string.Join(", ", VariantsOf(claim))})");
        var clock = Stopwatch.StartNew();
        var outcome = v.Run();
        return outcome with { Seconds = clock.Elapsed.TotalSeconds };
    }
}
