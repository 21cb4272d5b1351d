using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Training;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public class EvaluatorTests
{
    [Fact]
    public void Phi_is_the_stable_logit_of_the_true_class_probability()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        int[] idx = [0, 1500, 3000, 9999];
        var e = new Evaluator().Evaluate(model, data, idx, keepLogits: true);
        for (int i = 0; i < idx.Length; i++)
        {
            double[] z = e.Logits![i].Select(v => (double)v).ToArray();
            int y = data.Labels[idx[i]];
            double max = z.Max();
            double[] p = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = p.Sum();
            double py = p[y] / sum;
            Assert.Equal(py, e.TrueClassProbability[i], 5);
            Assert.Equal(Math.Log(py / (1 - py)), e.Phi[i], 4);
            Assert.Equal(Array.IndexOf(z, max), e.Predicted[i]);
        }
    }

    [Fact]
    public void Phi_does_not_saturate_for_confident_outputs()
    {
        // logits (60, 0, 0): p_y rounds to 1 in float64, yet φ = 60 − log 2 exactly.
        using var z = tensor(new double[] { 60, 0, 0, 0, 60, 0 }).reshape(2, 3);
        using var y = tensor(new long[] { 0, 0 });
        double[] phi = Confidence.Phi(z, y).data<double>().ToArray();
        Assert.Equal(60 - Math.Log(2), phi[0], 10);
        Assert.Equal(-Math.Log(Math.Exp(60) + 1), phi[1], 10);
        Assert.Equal(1.0, Math.Exp(Confidence.LogTrueClassProbability(z, y).data<double>()[0]), 12);
    }
}
