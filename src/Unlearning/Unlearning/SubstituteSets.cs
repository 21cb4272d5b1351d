using TorchSharp;
using Unlearning.Attacks;
using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>The fine-tuning sets AMUN §6.2.1 puts in place of D_A (Fig. 1).</summary>
public enum SubstituteSet
{
    /// <summary>D_A itself: {(x_adv, y_adv)} (Fig. 1's "Adv").</summary>
    Adversarial,
    /// <summary>D_F with its true labels (Fig. 1's "Orig").</summary>
    Original,
    /// <summary>D_AdvL: {(x, y_adv)} — the original image with the adversarial label ("Orig-AdvL").</summary>
    AdversarialLabel,
    /// <summary>D_RL: {(x, y′)}, y′ ∉ {y, y_adv} drawn uniformly ("Orig-RL").</summary>
    RandomLabel,
    /// <summary>D_ARL: {(x_adv, y′)}, y′ ∉ {y, y_adv} ("Adv-RL").</summary>
    AdversarialRandomLabel,
    /// <summary>D_ARS: {(x′, y_adv)}, x′ uniform on the sphere ‖x′ − x‖₂ = δ_x, then clamped to the input range ("Adv-RS").</summary>
    AdversarialRandomSphere,
}

/// <summary>
/// Builds AMUN §6.2.1's substitute sets from an Alg. 1 set: every set has one row per sample of D_F that has an
/// adversarial example (<see cref="AdversarialSet.Indices"/>), so they differ only in the image or the label they use.
/// Random labels are drawn once, uniformly among the classes other than y and y_adv; sphere points use the sample's own
/// distance δ_x = ‖x_adv − x‖₂ (clamping to [0, 1] can only shorten it).
/// </summary>
public static class SubstituteSets
{
    /// <summary>The block for <paramref name="kind"/> (owned by the caller).</summary>
    public static TuneBlock Build(SubstituteSet kind, AdversarialSet set, ImageDataset data, long seed)
    {
        if (set.Indices.Length == 0) throw new ArgumentException("the adversarial set has no rows to substitute");
        var (x, y) = data.Batch(set.Indices);
        var xAdv = set.Images.cpu().clone();
        var yAdv = tensor(set.Labels, dtype: ScalarType.Int64);
        string name = kind switch
        {
            SubstituteSet.Adversarial => "D_A",
            SubstituteSet.Original => "D_F",
            SubstituteSet.AdversarialLabel => "D_AdvL",
            SubstituteSet.RandomLabel => "D_RL",
            SubstituteSet.AdversarialRandomLabel => "D_ARL",
            SubstituteSet.AdversarialRandomSphere => "D_ARS",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        (Tensor Images, Tensor Labels) pick = kind switch
        {
            SubstituteSet.Adversarial => (xAdv, yAdv),
            SubstituteSet.Original => (x, y),
            SubstituteSet.AdversarialLabel => (x, yAdv),
            SubstituteSet.RandomLabel => (x, OtherLabels(y, yAdv, data.NumClasses, seed)),
            SubstituteSet.AdversarialRandomLabel => (xAdv, OtherLabels(y, yAdv, data.NumClasses, seed)),
            SubstituteSet.AdversarialRandomSphere => (Sphere(x, set.Distance, seed), yAdv),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        foreach (var t in new[] { x, y, xAdv, yAdv })
            if (!ReferenceEquals(t, pick.Images) && !ReferenceEquals(t, pick.Labels)) t.Dispose();
        return new TuneBlock(name, pick.Images, pick.Labels);
    }

    /// <summary>Labels uniform over the classes that are neither <paramref name="y"/> nor <paramref name="yAdv"/>.</summary>
    public static Tensor OtherLabels(Tensor y, Tensor yAdv, int numClasses, long seed)
    {
        if (numClasses < 3) throw new ArgumentException($"{numClasses} classes leave no label other than y and y_adv");
        var rng = new SeededRandom(seed, stream: 0x5B5);
        var a = y.data<long>().ToArray();
        var b = yAdv.data<long>().ToArray();
        var result = new long[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            var choices = Enumerable.Range(0, numClasses).Where(c => c != a[i] && c != b[i]).ToArray();
            result[i] = choices[rng.NextInt(choices.Length)];
        }
        return tensor(result, dtype: ScalarType.Int64);
    }

    private static Tensor Sphere(Tensor x, double[] radius, long seed)
    {
        using var generator = new Generator((ulong)seed ^ 0x5E7UL);
        using var scope = NewDisposeScope();
        var noise = randn(x.shape, generator: generator);
        var norm = noise.flatten(1).norm(1, keepdim: false, p: 2).AtLeast(1e-12).view(-1, 1, 1, 1);
        var r = tensor(radius, dtype: ScalarType.Float32).view(-1, 1, 1, 1);
        return x.Plus(noise.div(norm).mul(r)).Within(0, 1).MoveToOuterDisposeScope();
    }
}
