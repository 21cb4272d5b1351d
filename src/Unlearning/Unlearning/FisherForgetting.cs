using System.Diagnostics;
using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>How the Fisher noise scales with the Fisher diagonal F.</summary>
public enum FisherNoise
{
    /// <summary>σ·F^(−1/4)·b, as the Healing paper writes it (§3).</summary>
    PaperQuarter,
    /// <summary>σ·F^(−1/2)·b (variance ∝ 1/F), the form of the Fisher-forgetting reference code.</summary>
    ReferenceHalf,
}

/// <summary>
/// Fisher forgetting settings. <see cref="Sigma"/> σ and <see cref="Epsilon"/> ε (damping added to F) default to the
/// Healing paper's MNIST row of Table 6 (σ = 3.5·10⁻³, ε = 10⁻⁶). <see cref="FisherSamples"/> caps the retain samples
/// the diagonal is estimated on (batch 1 each; null = all). <see cref="MaxStepNorm"/> clips the Newton step's L2 norm
/// (null = no clipping). <see cref="NewtonStep"/> false leaves the step out and adds only the noise (a diagnostic: which
/// term collapses the model).
/// </summary>
public sealed record FisherOptions(double Sigma = 3.5e-3, double Epsilon = 1e-6, int? FisherSamples = 1000, double? MaxStepNorm = null,
    FisherNoise Noise = FisherNoise.PaperQuarter, bool NewtonStep = true)
{
    /// <summary>Refuses settings the update cannot use.</summary>
    public FisherOptions Validate()
    {
        if (!(Sigma >= 0) || !(Epsilon > 0)) throw new ArgumentException($"Fisher forgetting needs σ ≥ 0 and ε > 0 (got σ={Sigma}, ε={Epsilon})");
        if (FisherSamples is < 1) throw new ArgumentException($"FisherSamples must be ≥ 1 (got {FisherSamples})");
        if (MaxStepNorm is { } c && !(c > 0)) throw new ArgumentException($"MaxStepNorm must be > 0 (got {c})");
        return this;
    }
}

/// <summary>
/// Fisher forgetting with a diagonal Fisher (Healing §3, after Golatkar et al.):
/// θ' = θ − (F + ε)⁻¹ ∇_θ L(θ; D_r) + σ (F + ε)^(−1/4) b, b ~ N(0, I), where F = E_(x,y)~D_r[(∇_θ log p(y|x))²] is the
/// empirical Fisher diagonal on the retain set (batch 1, eval mode) and ∇L the mean retain-set loss gradient. The
/// paper finds this collapses a deep model to about one class after random deletion (Table 2); that is what it measures.
/// A non-finite result is an error, never a scored model. The diagonal can be measured once (<see cref="Measure"/>) and
/// shared by several updates of one model (<see cref="Unlearn(UnlearningRequest, FisherStatistics)"/>), as a sweep over σ, ε
/// or the clip does.
/// </summary>
public sealed class FisherForgetting(FisherOptions? options = null) : IUnlearner
{
    private readonly FisherOptions _options = (options ?? new FisherOptions()).Validate();

    /// <inheritdoc />
    public string Name => _options.Noise == FisherNoise.PaperQuarter ? "Fisher" : "Fisher (F^-1/2 noise)";

    /// <summary>
    /// The empirical Fisher diagonal of <paramref name="r"/>'s model on up to <paramref name="samples"/> retain samples (batch 1,
    /// eval mode; drawn from the request's seed; null = all of them).
    /// </summary>
    public static FisherStatistics Measure(UnlearningRequest r, int? samples)
    {
        var (model, device) = ModelCopy.EvalCopy(r, "Fisher forgetting");
        using (model)
        {
            var parameters = model.parameters().ToList();
            int n = Math.Min(r.Retain.Length, samples ?? int.MaxValue);
            if (r.Training.Limits is { } cap) n = Math.Min(n, cap.EvalBatches * cap.BatchSize); // a dry run: a few samples, the same path
            var sample = r.Retain.ToArray();
            new SeededRandom(r.Seed, stream: 0xF15E).Shuffle(sample);
            var fisher = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();
            try
            {
                for (int i = 0; i < n; i++)
                {
                    using var scope = NewDisposeScope();
                    var (x, y) = r.Data.Batch([sample[i]]);
                    if (r.RetainTransform != null) (x, y) = r.RetainTransform(x, y, [sample[i]]);
                    model.zero_grad();
                    nn.functional.cross_entropy(model.forward(x.to(device)), y.to(device)).backward();
                    using var noGrad = no_grad();
                    for (int k = 0; k < parameters.Count; k++) if (parameters[k].grad is { } g) fisher[k].PlusInPlace(g.Power(2).Over(n));
                }
                return new FisherStatistics(fisher, n);
            }
            catch
            {
                foreach (var t in fisher) t.Dispose();
                throw;
            }
        }
    }

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        using var statistics = Measure(r, _options.FisherSamples);
        return Unlearn(r, statistics);
    }

    /// <summary>The update of <paramref name="r"/>'s model with a Fisher diagonal measured on it before (<see cref="Measure"/>).</summary>
    public UnlearningResult Unlearn(UnlearningRequest r, FisherStatistics statistics)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, "Fisher forgetting");
        var parameters = model.parameters().ToList();
        var fisher = statistics.Diagonal;
        if (fisher.Count != parameters.Count || fisher.Zip(parameters).Any(t => !t.First.shape.SequenceEqual(t.Second.shape)))
        {
            model.Dispose();
            throw new ArgumentException("the Fisher statistics were measured on a model of another architecture", nameof(statistics));
        }
        int n = statistics.Samples;
        var grad = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();
        try
        {
            int batches = 0;
            foreach (var chunk in r.Retain.Chunk(Math.Min(r.Training.BatchSize, r.Training.Limits?.BatchSize ?? int.MaxValue)).Take(r.Training.Limits?.EvalBatches ?? int.MaxValue))
            {
                using var scope = NewDisposeScope();
                var (x, y) = r.Data.Batch(chunk);
                if (r.RetainTransform != null) (x, y) = r.RetainTransform(x, y, chunk);
                model.zero_grad();
                nn.functional.cross_entropy(model.forward(x.to(device)), y.to(device)).backward();
                using var noGrad = no_grad();
                for (int k = 0; k < parameters.Count; k++) if (parameters[k].grad is { } g) grad[k].PlusInPlace(g);
                batches++;
            }
            model.zero_grad();
            double stepNorm, noiseNorm;
            lock (TorchRuntime.GlobalRngGate)
            {
                manual_seed(r.Seed ^ 0x5EED_F15E);
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var steps = parameters.Select((p, k) => _options.NewtonStep ? grad[k].Over(batches).div(fisher[k].PlusScalar(_options.Epsilon)) : zeros_like(p)).ToList();
                stepNorm = Math.Sqrt(steps.Sum(s => s.Power(2).sum().item<float>()));
                double scale = _options.MaxStepNorm is { } c && stepNorm > c ? c / stepNorm : 1.0;
                double exponent = _options.Noise == FisherNoise.PaperQuarter ? -0.25 : -0.5;
                double noise2 = 0;
                for (int k = 0; k < parameters.Count; k++)
                {
                    var noise = randn_like(parameters[k]).mul(fisher[k].PlusScalar(_options.Epsilon).Power(exponent)).Times(_options.Sigma);
                    noise2 += noise.Power(2).sum().item<float>();
                    parameters[k].sub_(steps[k].Times(scale)).PlusInPlace(noise);
                }
                noiseNorm = Math.Sqrt(noise2);
            }
            var bad = model.named_parameters().FirstOrDefault(p => !p.parameter.isfinite().all().item<bool>());
            if (bad.name != null)
                throw new InvalidOperationException($"Fisher forgetting produced non-finite weights in '{bad.name}' (step norm {stepNorm:G3}); lower σ, raise ε or clip the step");
            return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                ["fisher_samples"] = n, ["step_norm"] = stepNorm, ["noise_norm"] = noiseNorm,
                ["fisher_mean"] = fisher.Sum(f => f.sum().item<float>()) / fisher.Sum(f => f.numel()),
            });
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in grad) t.Dispose();
        }
    }
}

/// <summary>The empirical Fisher diagonal of one model (one tensor per parameter) and the retain samples it was measured on.</summary>
public sealed class FisherStatistics(IReadOnlyList<Tensor> diagonal, int samples) : IDisposable
{
    /// <summary>F, per parameter, in the model's parameter order.</summary>
    public IReadOnlyList<Tensor> Diagonal => diagonal;

    /// <summary>How many retain samples F averages over.</summary>
    public int Samples => samples;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in diagonal) t.Dispose();
    }
}
