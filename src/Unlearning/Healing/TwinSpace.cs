using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Healing;

/// <summary>The four similarity notions of Healing §5.3.1 along which a replacement ("twin") is searched.</summary>
public enum TwinMetric
{
    /// <summary>Euclidean distance between raw pixel vectors.</summary>
    RawL2,
    /// <summary>Mahalanobis distance between raw pixel vectors, Σ estimated on D_r's pixels.</summary>
    RawMahalanobis,
    /// <summary>1 − cosine similarity between the model's penultimate-layer features.</summary>
    FeatureCosine,
    /// <summary>Mahalanobis distance between penultimate-layer features, Σ estimated on D_r's features.</summary>
    FeatureMahalanobis,
}

/// <summary>
/// The vectors of a set of samples under one <see cref="TwinMetric"/> and the distance to compare them with. Raw vectors are
/// the pixels as the model sees them (normalised); features are the base model M's penultimate layer (Healing §5.3.1:
/// "embeddings extracted from M"). For the Mahalanobis metrics Σ is the covariance of the vectors over the remaining set
/// D_r plus a ridge r·I with r = <c>ridge</c> × mean variance (raw MNIST pixels have constant borders, so Σ alone is
/// singular); the vectors are whitened once by L⁻¹ (L Lᵀ = Σ + rI), after which the Mahalanobis distance is the Euclidean one.
/// </summary>
public sealed class TwinSpace
{
    private readonly Dictionary<int, double[]> _vectors;

    private TwinSpace(TwinMetric metric, Dictionary<int, double[]> vectors, ISimilarityMetric distance)
    {
        Metric = metric;
        _vectors = vectors;
        Distance = distance;
    }

    /// <summary>The metric.</summary>
    public TwinMetric Metric { get; }

    /// <summary>The distance between two of <see cref="Vector"/>'s vectors (equal to the metric's distance between the samples).</summary>
    public ISimilarityMetric Distance { get; }

    /// <summary>The paper's label of the Remain+Twins configuration using this metric (Tables 4–5).</summary>
    public static string Label(TwinMetric m) => m switch
    {
        TwinMetric.RawL2 => "T-RawL2",
        TwinMetric.RawMahalanobis => "T-RawMahal",
        TwinMetric.FeatureCosine => "T-FeatCos",
        TwinMetric.FeatureMahalanobis => "T-FeatMahal",
        _ => throw new ArgumentOutOfRangeException(nameof(m), m, "unknown twin metric"),
    };

    /// <summary>The prepared vector of sample <paramref name="id"/> (one of the ids the space was built for).</summary>
    public double[] Vector(int id) =>
        _vectors.TryGetValue(id, out var v) ? v : throw new KeyNotFoundException($"sample {id} is not in this {Label(Metric)} twin space");

    /// <summary>
    /// Builds the space for <paramref name="ids"/> (requests and spares); <paramref name="reference"/> is D_r, on which a
    /// Mahalanobis Σ is estimated; <paramref name="model"/> gives the features (unused by the raw metrics).
    /// </summary>
    public static TwinSpace Build(TwinMetric metric, ImageClassifier model, ImageDataset data, IReadOnlyList<int> reference, IEnumerable<int> ids,
        Device? device = null, double ridge = 1e-3)
    {
        var wanted = ids.Distinct().ToArray();
        bool features = metric is TwinMetric.FeatureCosine or TwinMetric.FeatureMahalanobis;
        Tensor Vectors(IReadOnlyList<int> which) => features ? FeatureMatrix(model, data, which, device ?? CPU) : RawMatrix(data, which);
        using var scope = NewDisposeScope();
        var x = Vectors(wanted);
        switch (metric)
        {
            case TwinMetric.RawL2:
                return new TwinSpace(metric, Rows(wanted, x), new L2Metric("raw-l2"));
            case TwinMetric.FeatureCosine:
                return new TwinSpace(metric, Rows(wanted, x), new CosineMetric("feature-cosine"));
            default:
                var sigma = Covariance(Vectors(reference), ridge);
                var whitener = MahalanobisMetric.FromCovariance(sigma);
                var rows = Rows(wanted, x).ToDictionary(p => p.Key, p => whitener.Whiten(p.Value));
                return new TwinSpace(metric, rows, new L2Metric(metric == TwinMetric.RawMahalanobis ? "raw-mahalanobis" : "feature-mahalanobis"));
        }
    }

    /// <summary>Σ + rI of the rows of <paramref name="x"/> (n × d, float64), r = ridge × trace(Σ)/d.</summary>
    private static double[,] Covariance(Tensor x, double ridge)
    {
        if (x.shape[0] < 2) throw new ArgumentException("a covariance needs at least two reference samples");
        var centred = x.sub(x.mean([0], keepdim: true));
        var sigma = centred.t().matmul(centred).div(x.shape[0] - 1);
        int d = (int)sigma.shape[0];
        var flat = sigma.data<double>().ToArray();
        var result = new double[d, d];
        double trace = 0;
        for (int i = 0; i < d; i++) trace += flat[i * d + i];
        double r = Math.Max(ridge * trace / d, 1e-12);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) result[i, j] = flat[i * d + j] + (i == j ? r : 0);
        return result;
    }

    private static Dictionary<int, double[]> Rows(int[] ids, Tensor x)
    {
        int d = (int)x.shape[1];
        var flat = x.data<double>().ToArray();
        var rows = new Dictionary<int, double[]>(ids.Length);
        for (int i = 0; i < ids.Length; i++) rows[ids[i]] = flat.AsSpan(i * d, d).ToArray();
        return rows;
    }

    private static Tensor RawMatrix(ImageDataset data, IReadOnlyList<int> ids)
    {
        var (x, _) = data.Batch(ids.ToArray());
        return x.reshape(ids.Count, -1).to_type(ScalarType.Float64);
    }

    private static Tensor FeatureMatrix(ImageClassifier model, ImageDataset data, IReadOnlyList<int> ids, Device device)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var parts = new List<Tensor>();
            foreach (var chunk in ids.Chunk(256))
            {
                var (x, _) = data.Batch(chunk);
                parts.Add(model.Features(x.to(device)).reshape(chunk.Length, -1).to(CPU).to_type(ScalarType.Float64));
            }
            return cat(parts, 0);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
