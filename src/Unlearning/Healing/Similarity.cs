namespace Unlearning.Healing;

/// <summary>A dissimilarity between two samples' vectors (raw pixels or features): smaller is more similar.</summary>
public interface ISimilarityMetric
{
    /// <summary>"raw-l2", "feature-cosine", …</summary>
    string Name { get; }

    /// <summary>The dissimilarity d(a, b) ≥ 0.</summary>
    double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b);
}

/// <summary>Euclidean distance d(z, z') = ‖z − z'‖₂ (Healing §4, "raw pixel-wise").</summary>
public sealed class L2Metric(string name = "l2") : ISimilarityMetric
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Check(a, b);
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }

    internal static void Check(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors of different lengths ({a.Length} and {b.Length})");
    }
}

/// <summary>
/// Cosine similarity cos(f(z), f(z')) = f(z)·f(z') / (‖f(z)‖‖f(z')‖) (Healing §4), used as the distance 1 − cos ∈ [0, 2].
/// A zero vector has no direction: its similarity to anything is taken as 0.
/// </summary>
public sealed class CosineMetric(string name = "cosine") : ISimilarityMetric
{
    /// <inheritdoc />
    public string Name => name;

    /// <summary>The cosine similarity, clamped to [−1, 1] against rounding.</summary>
    public static double Similarity(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        L2Metric.Check(a, b);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : Math.Clamp(dot / (Math.Sqrt(na) * Math.Sqrt(nb)), -1, 1);
    }

    /// <inheritdoc />
    public double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => 1 - Similarity(a, b);
}

/// <summary>
/// Mahalanobis distance d_M = √((a − b)ᵀ Σ⁻¹ (a − b)) (Healing §4), Σ the covariance of the vectors over the remaining
/// set D_r. Σ is regularised as Σ + r·I with r = <c>ridge</c> × (mean variance), so a rank-deficient covariance (more
/// dimensions than samples, constant pixels) still has an inverse; the inverse is applied through a Cholesky factor.
/// </summary>
public sealed class MahalanobisMetric : ISimilarityMetric
{
    private readonly double[,] _cholesky; // lower-triangular L with L Lᵀ = Σ + r I
    private readonly int _dim;

    /// <inheritdoc />
    public string Name { get; }

    private MahalanobisMetric(string name, double[,] cholesky)
    {
        Name = name;
        _cholesky = cholesky;
        _dim = cholesky.GetLength(0);
    }

    /// <summary>With a given symmetric positive-definite covariance (Σ = I gives the Euclidean distance).</summary>
    public static MahalanobisMetric FromCovariance(double[,] sigma, string name = "mahalanobis") => new(name, Cholesky(sigma));

    /// <summary>Σ estimated from <paramref name="samples"/> (the D_r vectors), plus the ridge.</summary>
    public static MahalanobisMetric Fit(IReadOnlyList<double[]> samples, double ridge = 1e-3, string name = "mahalanobis")
    {
        if (samples.Count < 2) throw new ArgumentException("a covariance needs at least two samples", nameof(samples));
        int d = samples[0].Length;
        var mean = new double[d];
        foreach (var s in samples)
        {
            if (s.Length != d) throw new ArgumentException($"samples of different lengths ({d} and {s.Length})", nameof(samples));
            for (int i = 0; i < d; i++) mean[i] += s[i] / samples.Count;
        }
        var sigma = new double[d, d];
        foreach (var s in samples)
            for (int i = 0; i < d; i++)
            {
                double di = s[i] - mean[i];
                if (di == 0) continue;
                for (int j = 0; j <= i; j++) sigma[i, j] += di * (s[j] - mean[j]);
            }
        double trace = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++) sigma[j, i] = sigma[i, j] /= samples.Count - 1;
            trace += sigma[i, i];
        }
        double r = Math.Max(ridge * trace / d, 1e-12);
        for (int i = 0; i < d; i++) sigma[i, i] += r;
        return FromCovariance(sigma, name);
    }

    /// <inheritdoc />
    public double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        L2Metric.Check(a, b);
        if (a.Length != _dim) throw new ArgumentException($"vectors of length {a.Length} for a {_dim}-dimensional metric");
        // Solve L y = (a − b); then d² = ‖y‖².
        var y = new double[_dim];
        double s = 0;
        for (int i = 0; i < _dim; i++)
        {
            double v = a[i] - b[i];
            for (int j = 0; j < i; j++) v -= _cholesky[i, j] * y[j];
            y[i] = v / _cholesky[i, i];
            s += y[i] * y[i];
        }
        return Math.Sqrt(s);
    }

    /// <summary>
    /// The whitened vector L⁻¹v (L Lᵀ = Σ + rI): d_M(a, b) = ‖L⁻¹a − L⁻¹b‖₂, so nearest-neighbour searches over many pairs
    /// whiten each vector once and compare with the Euclidean distance.
    /// </summary>
    public double[] Whiten(ReadOnlySpan<double> v)
    {
        if (v.Length != _dim) throw new ArgumentException($"a vector of length {v.Length} for a {_dim}-dimensional metric");
        var y = new double[_dim];
        for (int i = 0; i < _dim; i++)
        {
            double s = v[i];
            for (int j = 0; j < i; j++) s -= _cholesky[i, j] * y[j];
            y[i] = s / _cholesky[i, i];
        }
        return y;
    }

    private static double[,] Cholesky(double[,] m)
    {
        int n = m.GetLength(0);
        if (m.GetLength(1) != n) throw new ArgumentException("the covariance must be square");
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = m[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (!(s > 0)) throw new ArgumentException($"the covariance is not positive definite (pivot {i}: {s:G3}); raise the ridge");
                    l[i, i] = Math.Sqrt(s);
                }
                else l[i, j] = s / l[j, j];
            }
        return l;
    }
}
