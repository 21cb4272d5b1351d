using System.Diagnostics;

namespace Unlearning.Unlearning;

/// <summary>FT (AMUN §5.1 baseline, Warnecke et al. 2021): fine-tune on D_R only. Needs D_R.</summary>
public sealed class FineTuneUnlearner(FineTuneOptions options) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "FT";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        using var retain = TuneBlock.FromData("D_R", r.Data, r.Retain);
        FineTuning.Run(Name, model, [[retain]], options, r.Seed, r.Data.NumClasses, device);
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["lr"] = options.LearningRate });
    }
}
