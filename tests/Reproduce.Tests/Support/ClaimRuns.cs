using Unlearning.Claims;
using Xunit.Sdk;

namespace Reproduce.Tests.Support;

/// <summary>The theories' side of a <see cref="ClaimOutcome"/>: assert its checks, pin its values.</summary>
public static class ClaimRuns
{
    /// <summary>Fails with every check and its numbers (failing ones first) unless all hold.</summary>
    public static ClaimOutcome AssertHolds(this ClaimOutcome outcome)
    {
        if (!outcome.Holds) throw new XunitException(outcome.Explain() + (outcome.Note.Length > 0 ? "\n" + outcome.Note : ""));
        return outcome;
    }

    /// <summary>The snapshot name of an outcome: "{claim}.{variant}" with the variant made file-safe ("S_f=10%" → "S_f10pct").</summary>
    public static string SnapshotName(ClaimOutcome o)
    {
        if (o.Variant.Length == 0) return o.Claim;
        string v = o.Variant.Replace("%", "pct").Replace("=", "").Replace(", ", ".");
        v = System.Text.RegularExpressions.Regex.Replace(v, "[^A-Za-z0-9._-]+", "-").Trim('-', '.');
        return $"{o.Claim}.{v}";
    }

    /// <summary>Pins the outcome's values at the run's scale; <paramref name="test"/> is the theory that owns the file.</summary>
    public static ClaimOutcome MatchSnapshot(this ClaimOutcome outcome, string test)
    {
        SnapshotStore.Default.Match(SnapshotName(outcome), Shared.Scale,
            outcome.Values.ToDictionary(v => v.Key, v => new Pinned(v.Value.Value, v.Value.Tolerance, v.Value.Paper)), test, outcome.Variant);
        return outcome;
    }

    /// <summary>A theory's MemberData: the variants the registry lists for <paramref name="claim"/>, optionally filtered.</summary>
    public static Xunit.TheoryData<string> Variants(string claim, Func<string, bool>? where = null)
    {
        var data = new Xunit.TheoryData<string>();
        foreach (var v in Shared.Claims.VariantsOf(claim).Where(where ?? (_ => true))) data.Add(v);
        return data;
    }
}
