using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Attacks;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Theory;
using static TorchSharp.torch;

namespace Reproduce.Tests.Properties;

/// <summary>
/// AMUN Theorem 4.1 on L2-regularised logistic regression (exact convexity and smoothness), and the invariants of Alg. 1's
/// output on a trained CNN (A.Alg1.props).
/// </summary>
public class AmunProperties
{
    public sealed record LogisticCase(double[][] Xs, int[] Ys, int Forget, double Lambda);

    /// <summary>Datasets of 4–30 points in 1–4 dimensions, labelled by a random direction with some label noise.</summary>
    public static class Noisy
    {
        public static Arbitrary<LogisticCase> Cases() =>
        (from d in Gen.Choose(1, 4)
         from n in Gen.Choose(4, 30)
         from direction in Gen.ArrayOf(Gen.Choose(-100, 100).Select(v => v / 50.0), d)
         from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-300, 300).Select(v => v / 100.0), d), n)
         from flips in Gen.ArrayOf(Gen.Frequency((9, Gen.Constant(1)), (1, Gen.Constant(-1))), n)
         from forget in Gen.Choose(0, n - 1)
         from lambda in Gen.Elements(1e-3, 1e-2, 1e-1, 1.0)
         select new LogisticCase(xs, xs.Select((x, i) => flips[i] * (x.Zip(direction, (a, b) => a * b).Sum() >= 0 ? 1 : -1)).ToArray(), forget, lambda))
        // θ_o = 0 exactly when Σ y_i x_i = 0 (the regularised loss is then stationary at the origin): no decision boundary,
        // so no adversarial example, and the theorem says nothing. Such a draw is discarded, not evaluated.
        .Where(c => Enumerable.Range(0, c.Xs[0].Length).Any(k => Math.Abs(c.Xs.Select((x, i) => c.Ys[i] * x[k]).Sum()) > 1e-6))
        .ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Noisy)], MaxTest = 200), Claim("A.Thm4.1"), Scale("unit")]
    public bool One_gradient_step_on_D_plus_the_adversarial_example_obeys_the_bound(LogisticCase c)
    {
        var t = Theorem41.Evaluate(c.Xs, c.Ys, c.Forget, c.Lambda);
        // Exact form: the bound with the terms its near-zero-loss assumption drops written out.
        return t.Left <= t.ExactBound + 1e-9 * Math.Max(1, Math.Abs(t.ExactBound));
    }

    /// <summary>
    /// Where the theorem's assumption holds — well-separated data, tiny λ, so both models reach near-zero loss — the
    /// dropped terms vanish and the bound holds as printed.
    /// </summary>
    public static class Separable
    {
        public static Arbitrary<LogisticCase> Cases() =>
        (from d in Gen.Choose(1, 3)
         from n in Gen.Choose(4, 20)
         from sides in Gen.ArrayOf(Gen.Elements(1, -1), n)
         from jitter in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-50, 50).Select(v => v / 100.0), d), n)
         from forget in Gen.Choose(0, n - 1)
         select new LogisticCase(
             jitter.Select((j, i) => j.Select((v, k) => k == 0 ? sides[i] * (4 + v) : v).ToArray()).ToArray(), sides, forget, 1e-4))
        .ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Separable)], MaxTest = 100), Claim("A.Thm4.1"), Scale("unit")]
    public bool On_separable_data_with_near_zero_loss_the_printed_bound_holds(LogisticCase c)
    {
        var t = Theorem41.Evaluate(c.Xs, c.Ys, c.Forget, c.Lambda);
        return t.Left <= t.PrintedBound + 1e-9 * Math.Max(1, Math.Abs(t.PrintedBound));
    }
}

/// <summary>RL's label redraw (AMUN §5.1): never the true label, every wrong class reachable.</summary>
[Scale("unit")]
public class RandomLabelProperties
{
    [Property(MaxTest = 200)]
    public bool Redrawn_labels_are_always_wrong_and_in_range(PositiveInt classesMinusOne, int[] labels, int seed)
    {
        int classes = Math.Min(classesMinusOne.Get, 50) + 1;
        if (labels.Length == 0) return true;
        var y = labels.Select(l => (long)(Math.Abs(l % classes))).ToArray();
        Unlearning.TorchRuntime.EnsureInitialized();
        using var t = TorchSharp.torch.tensor(y, dtype: TorchSharp.torch.ScalarType.Int64);
        using var w = Unlearning.Unlearning.FineTuning.WrongLabels(t, classes, new SeededRandom(seed));
        var r = w.data<long>().ToArray();
        return r.Zip(y).All(p => p.First != p.Second && p.First >= 0 && p.First < classes);
    }
}
