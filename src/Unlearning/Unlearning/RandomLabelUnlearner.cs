using System.Diagnostics;

namespace Unlearning.Unlearning;

/// <summary>
/// RL (Golatkar et al. 2020, AMUN §5.1): fine-tune on D_F with labels redrawn uniformly among the wrong classes on every
/// read, together with D_R when <paramref name="useRetain"/> (Table 1) or alone (Table 2).
/// </summary>
public sealed class RandomLabelUnlearner(FineTuneOptions options, bool useRetain) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "RL";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        using var forget = TuneBlock.FromData("D_F", r.Data, r.Forget, randomWrongLabels: true);
        using var retain = useRetain ? TuneBlock.FromData("D_R", r.Data, r.Retain) : null;
        FineTuning.Run(Name, model, [retain is null ? [forget] : [retain, forget]], options, r.Seed, r.Data.NumClasses, device);
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["lr"] = options.LearningRate });
    }
}
