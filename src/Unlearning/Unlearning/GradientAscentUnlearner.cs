using System.Diagnostics;

namespace Unlearning.Unlearning;

/// <summary>
/// GA (Thudi et al. 2022, AMUN §5.1): each epoch a descent pass on D_R (when <paramref name="useRetain"/>) and then an
/// ascent pass on D_F (loss −CE).
/// </summary>
public sealed class GradientAscentUnlearner(FineTuneOptions options, bool useRetain) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "GA";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        using var forget = TuneBlock.FromData("D_F", r.Data, r.Forget, sign: -1);
        using var retain = useRetain ? TuneBlock.FromData("D_R", r.Data, r.Retain) : null;
        FineTuning.Run(Name, model, retain is null ? [[forget]] : [[retain], [forget]], options, r.Seed, r.Data.NumClasses, device);
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["lr"] = options.LearningRate });
    }
}
