using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Unlearning;
using static TorchSharp.torch;

namespace Reproduce.Tests.Properties;

/// <summary>
/// Potion Eq. 4 and Figs. 4–5: the exponent w of ‖f(x)‖₂^w reweights each sample's importance by w·‖f(x)‖^(w−1).
/// Only w = 1 gives every sample the same importance mass, so no sample — of unusually large or small output — forms
/// a tail; w = 0.5, 2 and 3 spread the masses by (max‖f‖ / min‖f‖)^|w−1|. Checked through the real
/// <see cref="ImportanceEstimator"/>: a linear model whose weight columns are the generated outputs, one one-hot
/// input per sample, batch size 1, so column k of the importance is sample k's contribution.
/// </summary>
[Scale("unit")]
public class ImportanceTailProperties
{
    public sealed record Outputs(float[][] Columns);

    /// <summary>Random outputs: N samples × K classes, uniform in [−1, 1] times a per-sample scale (as in Fig. 4's toy).</summary>
    public static Arbitrary<Outputs> Cases() =>
        (from n in Gen.Choose(2, 12)
         from k in Gen.Choose(2, 10)
         from cols in Gen.ArrayOf(
             from scale in Gen.Choose(1, 100).Select(v => v / 10f)
             from values in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 1000f), k)
             select values.Select(v => v * scale).ToArray(), n)
         where cols.All(c => c.Any(v => v != 0))
         select new Outputs(cols)).ToArbitrary();

    private sealed class Columns : ImageClassifier
    {
        private readonly Linear fc;

        public Columns(float[][] columns) : base(nameof(Columns), 1, null, columns[0].Length)
        {
            int n = columns.Length, k = columns[0].Length;
            fc = nn.Linear(n, k, hasBias: false);
            using (no_grad())
                fc.weight!.copy_(tensor(columns.SelectMany(c => c).ToArray()).reshape(n, k).t());
            RegisterComponents();
        }

        public override int FeatureDim => (int)fc.weight!.shape[1];
        public override Tensor Features(Tensor x) => x.flatten(1);
        public override Tensor Head(Tensor features) => fc.forward(features);
    }

    private static double[] SampleMasses(Outputs o, double w)
    {
        int n = o.Columns.Length;
        var pixels = new byte[n * n];
        for (int i = 0; i < n; i++) pixels[i * n + i] = 255; // image i is the one-hot e_i
        using var data = new ImageDataset("one-hot", new IdxArray([n, 1, 1, n], pixels), new byte[n], 1, "test");
        using var model = new Columns(o.Columns);
        using var imp = ImportanceEstimator.Compute(model, data, Enumerable.Range(0, n).ToArray(), ImportanceKind.ExponentLossFree, batchSize: 1, exponent: w);
        var weight = imp.Values["fc.weight"]; // [K, N]
        return weight.pow(2).sum(dim: 0).sqrt().to_type(ScalarType.Float64).data<double>().ToArray();
    }

    private static double Spread(double[] masses) => masses.Max() / masses.Min();

    [Property(Arbitrary = [typeof(ImportanceTailProperties)]), Claim("P.Eq4.tails")]
    public bool W1_gives_every_sample_the_same_importance_mass_other_exponents_spread_it(Outputs o)
    {
        double s1 = Spread(SampleMasses(o, 1.0));
        if (Math.Abs(s1 - 1) > 1e-4) return false;
        double[] norms = o.Columns.Select(c => Math.Sqrt(c.Sum(v => (double)v * v))).ToArray();
        double normRatio = norms.Max() / norms.Min();
        foreach (double w in new[] { 0.5, 2.0, 3.0 })
        {
            double sw = Spread(SampleMasses(o, w));
            double expected = Math.Pow(normRatio, Math.Abs(w - 1));
            if (sw < s1 - 1e-4 || Math.Abs(sw - expected) > 1e-3 * expected) return false;
        }
        return true;
    }
}
