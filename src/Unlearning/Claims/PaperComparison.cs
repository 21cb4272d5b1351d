namespace Unlearning.Claims;

/// <summary>
/// A value claim at paper scale, judged against the paper: every pinned value with a paper number becomes an equivalence
/// check "ours ≈ paper within δ" (two one-sided tests on the value's own noise — binomial over its samples, the spread of
/// its runs, or Hanley–McNeil for an AUC — with the paper's number taken as exact), δ being the catalog's "value" margin of
/// the claim in the values' own unit. A claim without a stated δ, or whose values have no paper numbers, gets no checks
/// and stays unresolved. Off paper scale a value claim is not compared: it "needs paper scale".
/// </summary>
public static class PaperComparison
{
    /// <summary>The catalog's kind of the value margin.</summary>
    public const string Kind = "value";

    /// <summary>The equivalence checks of <paramref name="values"/> against the paper's numbers, or none when <paramref name="claim"/> states no value δ.</summary>
    public static IReadOnlyList<Check> Checks(string claim, IReadOnlyDictionary<string, Measured> values)
    {
        var spec = ClaimCatalog.Get(claim).Checks.FirstOrDefault(c => c.Kind == Kind);
        if (spec?.Delta is not { } delta) return [];
        var o = new OrderChecks();
        foreach (var (key, m) in values)
        {
            if (m.Paper is not { } paper || !m.Pinned || !double.IsFinite(m.Value)) continue;
            var d = new Difference(m.Value - paper, m.Tolerance / Measured.Sigmas, null, "the value's own noise (its pinned tolerance / 4), the paper's number as exact", 0, "");
            o.Close(key, m.Value, "the paper's", paper, d, delta);
        }
        return o.Checks;
    }
}
