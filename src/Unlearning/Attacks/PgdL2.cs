using TorchSharp;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Attacks;

/// <summary>PGD settings (AMUN §4: PGD-50, step 0.1·ε, no random start).</summary>
/// <param name="Steps">Gradient steps per call.</param>
/// <param name="StepFraction">Step size as a fraction of the sample's ε.</param>
/// <param name="StopWhenMisclassified">Alg. 1's early exit: a sample stops at its first misclassified iterate. Off: every
/// sample takes all <paramref name="Steps"/> steps (the standard PGD cost, the unit of AMUN App. E.1's "fewer than 3 runs").</param>
public sealed record PgdOptions(int Steps = 50, double StepFraction = 0.1, bool StopWhenMisclassified = true)
{
    /// <summary>Throws on a setting that cannot run.</summary>
    public PgdOptions Validate()
    {
        if (Steps <= 0) throw new ArgumentException($"Steps = {Steps} must be positive");
        if (!(StepFraction > 0)) throw new ArgumentException($"StepFraction = {StepFraction} must be positive");
        return this;
    }
}

/// <summary>What one attack call returns: the images, which ones are misclassified, and the work done.</summary>
/// <param name="Adversarial">Images [B, C, H, W] in [0, 1].</param>
/// <param name="Success">Per sample: the model's prediction differs from the label.</param>
/// <param name="Predicted">The model's prediction on each returned image.</param>
/// <param name="GradientEvaluations">Sample-level forward/backward passes spent (early-exited samples stop counting).</param>
public sealed record AttackOutcome(Tensor Adversarial, bool[] Success, long[] Predicted, long GradientEvaluations);

/// <summary>
/// Untargeted PGD in the L2 ball (AMUN Alg. 1's attack A): ascend the cross-entropy of the true label with per-sample
/// L2-normalised gradient steps of size StepFraction·ε, project δ = x' − x onto ‖δ‖₂ ≤ ε, clamp to [0, 1]. A sample
/// stops as soon as it is misclassified (so δ stays as small as the step allows). Runs with the model in eval mode.
/// </summary>
public static class PgdL2
{
    /// <summary>
    /// Attacks <paramref name="x"/> (originals) starting from <paramref name="start"/> with per-sample radius
    /// <paramref name="epsilon"/> [B]. The returned tensor belongs to the caller's dispose scope.
    /// </summary>
    public static AttackOutcome Attack(ImageClassifier model, Tensor x, Tensor start, Tensor y, Tensor epsilon, PgdOptions? options = null)
    {
        var o = (options ?? new PgdOptions()).Validate();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            long n = x.shape[0];
            var eps = epsilon.to_type(ScalarType.Float32).view(n, 1, 1, 1);
            var current = start.detach().clone();
            long evaluations = 0;
            // Rows still correctly classified; each step runs the model on those rows only.
            var active = ScalarMath.Range(n, ScalarType.Int64, x.device);
            for (int step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var rows = active;
                var xa = current.index_select(0, rows).detach().requires_grad_(true);
                var ya = y.index_select(0, rows);
                var logits = model.forward(xa);
                var still = o.StopWhenMisclassified ? logits.argmax(1).eq(ya) : ones_like(ya, dtype: ScalarType.Bool);
                long stillCount = still.sum().item<long>();
                if (stillCount == 0) break;
                if (stillCount < active.shape[0])
                {
                    // Rows misclassified at this point stop here; recompute on the rest so the step only moves them.
                    var keep = still.nonzero().squeeze(1);
                    rows = rows.index_select(0, keep);
                    xa = current.index_select(0, rows).detach().requires_grad_(true);
                    ya = y.index_select(0, rows);
                    logits = model.forward(xa);
                }
                long m = rows.shape[0];
                evaluations += m;
                // In float64: a well-fit sample's float32 softmax rounds p_y to exactly 1 and its cross-entropy gradient to
                // exactly 0 (logit margin ≳ 17), which would freeze it at any ε; float64 keeps the direction up to margins ≈ 700.
                var loss = nn.functional.cross_entropy(logits.to_type(ScalarType.Float64), ya, reduction: nn.Reduction.Sum);
                var grad = autograd.grad([loss], [xa])[0];
                var ea = eps.index_select(0, rows);
                var norm = grad.flatten(1).norm(1, keepdim: false, p: 2).AtLeast(1e-12).view(m, 1, 1, 1);
                var moved = xa.detach().Plus(grad.div(norm).mul(ea.Times(o.StepFraction)));
                var x0 = x.index_select(0, rows);
                var delta = moved.sub(x0);
                var dnorm = delta.flatten(1).norm(1, keepdim: false, p: 2).view(m, 1, 1, 1);
                var projected = x0.Plus(delta.mul(ea.div(dnorm.AtLeast(1e-12)).AtMost(1.0))).Within(0, 1);
                using (no_grad()) current.index_copy_(0, rows, projected);
                if (!ReferenceEquals(rows, active))
                {
                    active.Dispose();
                    active = rows.MoveToOuterDisposeScope();
                }
            }
            using var noGrad = no_grad();
            using var final = model.forward(current);
            using var predT = final.argmax(1).cpu();
            using var yc = y.cpu();
            var predicted = predT.data<long>().ToArray();
            var labels = yc.data<long>().ToArray();
            return new AttackOutcome(current, predicted.Zip(labels, (p, l) => p != l).ToArray(), predicted, evaluations);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
