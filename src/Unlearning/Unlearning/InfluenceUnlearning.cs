using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>How the influence step is scaled.</summary>
public enum InfluenceStep
{
    /// <summary>
    /// θ + H⁻¹ Σ_{z∈D_u} ∇ℓ(z) / |D_r| with H the Hessian of the mean retain loss: the first-order change of the minimiser when
    /// the samples are removed (Koh &amp; Liang). Small: one sample moves the weights by about 1/|D_r| of a Newton step.
    /// </summary>
    MeanLoss,
    /// <summary>
    /// θ + H⁻¹ Σ_{z∈D_u} ∇ℓ(z), as Healing §3 prints the update (no 1/N, H the mean Hessian): |D_r| times larger, so the
    /// max-norm clip is what bounds it. This is the scale that degrades the model the way the paper's Tables 3 and 6 report.
    /// </summary>
    Sum,
}

/// <summary>
/// Influence-unlearning settings, named as in Healing Table 3: <see cref="BatchR"/> (retain minibatch of each
/// Hessian-vector product), <see cref="BatchF"/> (deletion minibatch of each sequential update), <see cref="Damping"/> ε,
/// <see cref="MaxNorm"/> (L2 clip of each update), LiSSA <see cref="Depth"/> and <see cref="Scale"/>. Defaults: the
/// MNIST 5% row (2048, 1024, 10⁻⁴, 1, 10, 10) and the update as §3 prints it (<see cref="InfluenceStep.Sum"/>); <see cref="Step"/>
/// chooses the scale of the update (see <see cref="InfluenceStep"/>).
/// </summary>
public sealed record InfluenceOptions(int BatchR = 2048, int BatchF = 1024, double Damping = 1e-4, double MaxNorm = 1, int Depth = 10, double Scale = 10,
    InfluenceStep Step = InfluenceStep.Sum)
{
    /// <summary>Refuses settings LiSSA cannot run with.</summary>
    public InfluenceOptions Validate()
    {
        if (BatchR < 1 || BatchF < 1 || Depth < 1) throw new ArgumentException($"batch sizes and depth must be ≥ 1 (got {BatchR}, {BatchF}, {Depth})");
        if (!(Scale > 0) || !(Damping >= 0) || Damping >= 1 || !(MaxNorm > 0))
            throw new ArgumentException($"LiSSA needs scale > 0, 0 ≤ damping < 1 and max-norm > 0 (got {Scale}, {Damping}, {MaxNorm})");
        return this;
    }
}

/// <summary>
/// Influence unlearning (Healing §3, after Koh &amp; Liang): for each minibatch D_u of the deletion set in turn,
/// θ ← θ + clip(H⁻¹ Σ_{z∈D_u} ∇ℓ(z) / |D_r|), the removal direction of the influence function (the paper prints the
/// update with the opposite sign, which would upweight the deleted points; <see cref="InfluenceStep.Sum"/> drops the
/// 1/|D_r| as the paper's print does). H⁻¹v is estimated by LiSSA:
/// h₀ = v, h_t = v + (1 − ε)·h_{t−1} − H_t·h_{t−1} / scale, with H_t the loss Hessian on a fresh retain minibatch, and
/// H⁻¹v ≈ h_depth / scale. A non-finite estimate stops the method with an error naming the step (the known failure
/// when the scale is too small).
/// </summary>
public sealed class InfluenceUnlearning(InfluenceOptions? options = null) : IUnlearner
{
    private readonly InfluenceOptions _o = (options ?? new InfluenceOptions()).Validate();

    /// <inheritdoc />
    public string Name => "Influence (LiSSA)";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, "influence unlearning");
        var parameters = model.parameters().ToList();
        var rng = new Data.SeededRandom(r.Seed, stream: 0x1F1);
        int updates = 0;
        double lastNorm = 0;
        int depth = Math.Min(_o.Depth, r.Training.Limits?.Steps ?? int.MaxValue); // a dry run recurses as deep as its step cap
        try
        {
            // A dry run applies its first few deletion batches; a real run applies every one.
            var cap = r.Training.Limits;
            int batchF = Math.Min(_o.BatchF, cap?.BatchSize ?? int.MaxValue), batchR = Math.Min(_o.BatchR, cap?.BatchSize ?? int.MaxValue);
            foreach (var chunk in r.Forget.Chunk(batchF).Take(cap?.EvalBatches ?? int.MaxValue))
            {
                using var scope = NewDisposeScope();
                var v = Gradient(model, parameters, r, chunk, r.ForgetTransform, device).Select(g => g.Times(chunk.Length)).ToList();
                var h = v.Select(t => t.clone()).ToList();
                for (int t = 0; t < depth; t++)
                {
                    // One scope per depth: the double-backward graph of a Hessian-vector product (hundreds of MB at
                    // batch_r 2,048) is freed before the next one is built; only the new estimate h leaves it.
                    using var depthScope = NewDisposeScope();
                    var batch = Enumerable.Range(0, Math.Min(batchR, r.Retain.Length)).Select(_ => r.Retain[rng.NextInt(r.Retain.Length)]).ToArray();
                    var hv = HessianVector(model, parameters, r, batch, h, device);
                    List<Tensor> next;
                    using (no_grad())
                        next = h.Select((hk, k) => v[k].Plus(hk.Times(1 - _o.Damping)).sub(hv[k].Over(_o.Scale))).ToList();
                    if (next.Any(x => !x.isfinite().all().item<bool>()))
                        throw new InvalidOperationException($"the LiSSA estimate became non-finite at depth {t + 1} of update {updates + 1} (scale {_o.Scale}, damping {_o.Damping}); raise the scale");
                    h = next.Select(x => x.MoveToOuterDisposeScope()).ToList();
                }
                using var noGrad = no_grad();
                double denominator = _o.Scale * (_o.Step == InfluenceStep.MeanLoss ? r.Retain.Length : 1);
                var step = h.Select(x => x.Over(denominator)).ToList();
                double norm = Math.Sqrt(step.Sum(s => s.Power(2).sum().item<float>()));
                double clip = norm > _o.MaxNorm ? _o.MaxNorm / norm : 1.0;
                for (int k = 0; k < parameters.Count; k++) parameters[k].PlusInPlace(step[k].Times(clip));
                lastNorm = norm;
                updates++;
            }
            return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["updates"] = updates, ["last_step_norm"] = lastNorm });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static List<Tensor> Gradient(Models.ImageClassifier model, List<TorchSharp.Modules.Parameter> parameters, UnlearningRequest r, int[] batch, Training.BatchTransform? transform, Device device)
    {
        var (x, y) = r.Data.Batch(batch);
        if (transform != null) (x, y) = transform(x, y, batch);
        var loss = nn.functional.cross_entropy(model.forward(x.to(device)), y.to(device));
        return torch.autograd.grad([loss], [.. parameters]).Select(g => g.detach()).ToList();
    }

    private static List<Tensor> HessianVector(Models.ImageClassifier model, List<TorchSharp.Modules.Parameter> parameters, UnlearningRequest r, int[] batch, List<Tensor> vector, Device device)
    {
        var (x, y) = r.Data.Batch(batch);
        if (r.RetainTransform != null) (x, y) = r.RetainTransform(x, y, batch);
        var loss = nn.functional.cross_entropy(model.forward(x.to(device)), y.to(device));
        var grads = torch.autograd.grad([loss], [.. parameters], retain_graph: true, create_graph: true);
        var dot = grads.Zip(vector).Select(p => p.First.mul(p.Second).sum()).Aggregate((a, b) => a.Plus(b));
        return torch.autograd.grad([dot], [.. parameters]).Select(g => g.detach()).ToList();
    }
}
