using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Metrics;

/// <summary>
/// The confidence logit of AMUN Observation 1, φ = log(p_y / (1 − p_y)), computed from logits as
/// z_y − logsumexp_{j≠y} z_j. This is exact where the softmax route saturates (p_y rounds to 1 for well-fit
/// samples, which would tie them all at a clamp value and break rank-based attacks and ROC AUC).
/// </summary>
public static class Confidence
{
    /// <summary>φ per row of <paramref name="logits"/> [N, C] for labels [N].</summary>
    public static Tensor Phi(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var y = labels.unsqueeze(1);
        var zy = logits.gather(1, y).squeeze(1);
        var mask = nn.functional.one_hot(labels, logits.shape[1]).to_type(ScalarType.Bool);
        return zy.sub(logits.FilledWhere(mask, double.NegativeInfinity).logsumexp(1)).MoveToOuterDisposeScope();
    }

    /// <summary>log p_y per row: z_y − logsumexp_j z_j.</summary>
    public static Tensor LogTrueClassProbability(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return logits.gather(1, labels.unsqueeze(1)).squeeze(1).sub(logits.logsumexp(1)).MoveToOuterDisposeScope();
    }
}
