using System.Diagnostics;

namespace Unlearning.Unlearning;

/// <summary>
/// ℓ1-sparse (Liu et al. 2024, AMUN §5.1): FT on D_R plus α_t‖θ‖₁ with α_t decaying linearly from
/// <paramref name="alpha"/> (5·10⁻⁴) to 0 over the run. Needs D_R.
/// </summary>
public sealed class L1SparseUnlearner(FineTuneOptions options, double alpha = 5e-4) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "l1-sparse";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        using var retain = TuneBlock.FromData("D_R", r.Data, r.Retain);
        FineTuning.Run(Name, model, [[retain]], options, r.Seed, r.Data.NumClasses, device,
            new FineTuneHooks { L1 = (step, total) => alpha * (1 - step / (double)Math.Max(1, total)) });
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["lr"] = options.LearningRate, ["alpha"] = alpha });
    }
}
