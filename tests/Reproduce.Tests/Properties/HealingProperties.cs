using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Healing;
using Xunit;

namespace Reproduce.Tests.Properties;

/// <summary>Healing §4: the similarity metrics (H.metric.props) and the General Spare Set, Alg. 1 (H.Alg1.spare), on random vectors.</summary>
[Scale("unit")]
public class HealingProperties
{
    public sealed record Pair(double[] A, double[] B, double Scale);

    /// <summary>Vectors with a tenth of exact zeros and repeated values, so ties and zero vectors occur.</summary>
    private static Gen<double[]> Vector(int n) =>
        Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0.0)), (9, Gen.Choose(-2000, 2000).Select(v => v / 100.0))), n);

    public static Arbitrary<Pair> Pairs() =>
        (from n in Gen.Choose(1, 24)
         from a in Vector(n)
         from b in Vector(n)
         from s in Gen.Choose(1, 1000).Select(v => v / 10.0)
         select new Pair(a, b, s)).ToArbitrary();

    public sealed record SpareCase(double[][] Vectors, int[] Spare, int[] Requests, double Delta, long Seed);

    public static Arbitrary<SpareCase> SpareCases() =>
        (from dim in Gen.Choose(1, 4)
         from n in Gen.Choose(2, 30)
         from vectors in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 6).Select(v => (double)v), dim), n) // small integer grid: many exact ties
         from spareCount in Gen.Choose(0, n - 1)
         from requests in Gen.ArrayOf(Gen.Choose(spareCount, n - 1), n)
         from delta in Gen.Elements(0.5, 1.5, 3.0, double.PositiveInfinity)
         from seed in Gen.Choose(0, 1000)
         select new SpareCase(vectors, Enumerable.Range(0, spareCount).ToArray(), requests, delta, seed)).ToArbitrary();

    [Property(Arbitrary = [typeof(HealingProperties)]), Claim("H.metric.props")]
    public bool L2_is_non_negative_symmetric_and_zero_on_itself(Pair p)
    {
        var l2 = new L2Metric();
        double ab = l2.Distance(p.A, p.B);
        return ab >= 0 && ab == l2.Distance(p.B, p.A) && l2.Distance(p.A, p.A) == 0;
    }

    [Property(Arbitrary = [typeof(HealingProperties)]), Claim("H.metric.props")]
    public bool Mahalanobis_with_identity_covariance_equals_l2(Pair p)
    {
        int d = p.A.Length;
        var identity = new double[d, d];
        for (int i = 0; i < d; i++) identity[i, i] = 1;
        double m = MahalanobisMetric.FromCovariance(identity).Distance(p.A, p.B), e = new L2Metric().Distance(p.A, p.B);
        return Math.Abs(m - e) <= 1e-9 * Math.Max(1, e);
    }

    [Property(Arbitrary = [typeof(HealingProperties)]), Claim("H.metric.props")]
    public bool Mahalanobis_distance_is_the_l2_distance_of_the_whitened_vectors(Pair p)
    {
        // Σ = A Aᵀ + I from the pair itself: a full, well-conditioned covariance.
        int d = p.A.Length;
        var sigma = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) sigma[i, j] = p.A[i] * p.A[j] / 100 + (i == j ? 1 : 0);
        var m = MahalanobisMetric.FromCovariance(sigma);
        double direct = m.Distance(p.A, p.B), whitened = new L2Metric().Distance(m.Whiten(p.A), m.Whiten(p.B));
        return Math.Abs(direct - whitened) <= 1e-9 * Math.Max(1, direct);
    }

    [Property(Arbitrary = [typeof(HealingProperties)]), Claim("H.metric.props")]
    public bool Cosine_is_within_minus_one_and_one_and_invariant_to_positive_scaling(Pair p)
    {
        double c = CosineMetric.Similarity(p.A, p.B);
        double scaled = CosineMetric.Similarity(p.A.Select(v => v * p.Scale).ToArray(), p.B);
        return c >= -1 && c <= 1 && Math.Abs(c - scaled) <= 1e-9;
    }

    [Property(Arbitrary = [typeof(HealingProperties)]), Claim("H.metric.props")]
    public bool Fitted_mahalanobis_is_a_symmetric_non_negative_distance_zero_on_itself(Pair p)
    {
        var samples = new[] { p.A, p.B, p.A.Select(v => v + 1).ToArray(), p.B.Select(v => -v).ToArray() };
        var m = MahalanobisMetric.Fit(samples);
        double ab = m.Distance(p.A, p.B);
        return ab >= 0 && Math.Abs(ab - m.Distance(p.B, p.A)) <= 1e-9 * Math.Max(1, ab) && m.Distance(p.A, p.A) == 0;
    }

    /// <summary>
    /// Alg. 1 over a sequence of requests: each answer is a nearest remaining spare (checked against a brute-force
    /// minimum), is used only when strictly within δ, leaves D_S, and no spare is ever handed out twice; a refused
    /// request (no spare, or nearest not within δ) leaves D_S unchanged.
    /// </summary>
    [Property(Arbitrary = [typeof(HealingProperties)]), Claim("H.Alg1.spare")]
    public bool Spare_set_hands_out_a_nearest_spare_within_delta_once(SpareCase c)
    {
        var l2 = new L2Metric();
        var set = new SpareSet(c.Spare, i => c.Vectors[i], l2, c.Delta, c.Seed);
        var used = new HashSet<int>();
        foreach (int z in c.Requests)
        {
            var before = set.Remaining.ToList();
            double nearest = before.Count == 0 ? double.PositiveInfinity : before.Min(s => l2.Distance(c.Vectors[z], c.Vectors[s]));
            var got = set.Take(z);
            if (got is not { } g)
            {
                if (!(before.Count == 0 || !(nearest < c.Delta)) || !before.SequenceEqual(set.Remaining)) return false;
                continue;
            }
            if (!before.Contains(g.Spare) || set.Remaining.Contains(g.Spare) || !used.Add(g.Spare)) return false;
            if (g.Distance != nearest || !(g.Distance < c.Delta) || set.Remaining.Count != before.Count - 1) return false;
        }
        return true;
    }

    [Fact, Claim("H.Alg1.spare")]
    public void Spare_set_refuses_duplicates_and_a_non_positive_delta_and_breaks_ties_by_its_seed()
    {
        double[][] v = [[0], [1], [1], [1], [5]];
        Assert.Throws<ArgumentException>(() => new SpareSet([1, 1], i => v[i], new L2Metric(), 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpareSet([1], i => v[i], new L2Metric(), 0, 0));
        var picks = Enumerable.Range(0, 40).Select(seed => new SpareSet([1, 2, 3, 4], i => v[i], new L2Metric(), 10, seed).Take(0)!.Value.Spare).ToHashSet();
        Assert.Equal([1, 2, 3], picks.Order()); // uniform among the three nearest, never the farther one
    }
}
