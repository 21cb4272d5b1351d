namespace Unlearning.Healing;

/// <summary>One request and the replacement found for it (null: none within δ, or the spare set ran dry).</summary>
public sealed record TwinMatch(int Request, int? Twin, double Distance);

/// <summary>
/// The Twins strategy of Healing §4: every element z of the exposed part of the training set is paired in advance with its
/// twin z* — the nearest element of the backup set under a similarity metric, used only if d(z, z*) &lt; δ — and z* is
/// used for healing when z is unlearned. Twins are assigned through the General Spare Set (Alg. 1), so no backup element
/// is the twin of two training elements; elements are paired in the order given.
/// </summary>
public static class Twins
{
    /// <summary>The twin of each of <paramref name="elements"/> among <paramref name="backup"/> in <paramref name="space"/>.</summary>
    public static TwinMatch[] Pair(IReadOnlyList<int> elements, IReadOnlyList<int> backup, TwinSpace space, double delta = double.PositiveInfinity, long seed = 0) =>
        Pair(elements, backup, space.Vector, space.Distance, delta, seed);

    /// <summary>The twin of each of <paramref name="elements"/> among <paramref name="backup"/> under <paramref name="metric"/> on <paramref name="vector"/>.</summary>
    public static TwinMatch[] Pair(IReadOnlyList<int> elements, IReadOnlyList<int> backup, Func<int, double[]> vector, ISimilarityMetric metric,
        double delta = double.PositiveInfinity, long seed = 0)
    {
        if (elements.Distinct().Count() != elements.Count) throw new ArgumentException("an element is listed twice", nameof(elements));
        int overlap = elements.Intersect(backup).Select(i => (int?)i).FirstOrDefault() ?? -1;
        if (overlap >= 0) throw new ArgumentException($"sample {overlap} is both a training element and a backup element", nameof(backup));
        var spares = new SpareSet(backup, vector, metric, delta, seed);
        return elements.Select(z => Take(spares, z)).ToArray();
    }

    /// <summary>Alg. 1 for one element: its replacement from <paramref name="spares"/> (which loses it), or a match with no twin.</summary>
    public static TwinMatch Take(SpareSet spares, int element) =>
        spares.Take(element) is { } m ? new TwinMatch(element, m.Spare, m.Distance) : new TwinMatch(element, null, double.NaN);
}
