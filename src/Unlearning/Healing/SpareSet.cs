using Unlearning.Data;

namespace Unlearning.Healing;

/// <summary>
/// The General Spare Set of Healing Alg. 1: spare elements D_S held out of training. For a request to unlearn z, z* is
/// drawn uniformly among the elements of D_S at minimal distance to z; z* is used for healing (and leaves D_S) only if
/// d(z, z*) &lt; δ. A spare element is therefore never handed out twice, and a refused match changes nothing.
/// </summary>
public sealed class SpareSet
{
    private readonly List<int> _remaining;
    private readonly Func<int, double[]> _vector;
    private readonly ISimilarityMetric _metric;
    private readonly double _delta;
    private readonly SeededRandom _rng;

    /// <param name="spare">D_S (sample ids; duplicates are refused).</param>
    /// <param name="vector">The vector of a sample id (raw pixels or features), for both requests and spares.</param>
    /// <param name="metric">d.</param>
    /// <param name="delta">δ: a match is used only if d(z, z*) &lt; δ (∞ accepts every match).</param>
    /// <param name="seed">For the uniform choice among ties.</param>
    public SpareSet(IEnumerable<int> spare, Func<int, double[]> vector, ISimilarityMetric metric, double delta, long seed)
    {
        _remaining = spare.ToList();
        if (_remaining.Distinct().Count() != _remaining.Count) throw new ArgumentException("the spare set lists an element twice", nameof(spare));
        if (double.IsNaN(delta) || delta <= 0) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be positive");
        _vector = vector;
        _metric = metric;
        _delta = delta;
        _rng = new SeededRandom(seed, stream: 0x5BA7E);
    }

    /// <summary>The spare elements not yet used.</summary>
    public IReadOnlyList<int> Remaining => _remaining;

    /// <summary>Alg. 1 for one request: the chosen z* and its distance, or null (D_S empty, or the nearest is not within δ).</summary>
    public (int Spare, double Distance)? Take(int request)
    {
        if (_remaining.Count == 0) return null;
        var z = _vector(request);
        double best = double.PositiveInfinity;
        var ties = new List<int>();
        for (int p = 0; p < _remaining.Count; p++)
        {
            double d = _metric.Distance(z, _vector(_remaining[p]));
            if (double.IsNaN(d)) throw new InvalidOperationException($"{_metric.Name} distance between {request} and {_remaining[p]} is NaN");
            if (d < best) { best = d; ties.Clear(); ties.Add(p); }
            else if (d == best) ties.Add(p);
        }
        if (!(best < _delta)) return null;
        int pick = ties[_rng.NextInt(ties.Count)];
        int chosen = _remaining[pick];
        _remaining.RemoveAt(pick);
        return (chosen, best);
    }
}
