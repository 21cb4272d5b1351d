using System.Diagnostics;

namespace Unlearning.Unlearning;

/// <summary>
/// SalUn (Fan et al. 2024, AMUN §5.1): RL whose updates are restricted to the salient weights — the
/// <paramref name="ratio"/> share with the largest |∇ CE(D_F)| (<see cref="SaliencyMask"/>).
/// </summary>
public sealed class SalUnUnlearner(FineTuneOptions options, bool useRetain, double ratio = 0.5) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "SalUn";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        var mask = SaliencyMask.Compute(model, r.Data, r.Forget, ratio, device, limits: options.Limits);
        try
        {
            using var forget = TuneBlock.FromData("D_F", r.Data, r.Forget, randomWrongLabels: true);
            using var retain = useRetain ? TuneBlock.FromData("D_R", r.Data, r.Retain) : null;
            FineTuning.Run(Name, model, [retain is null ? [forget] : [retain, forget]], options, r.Seed, r.Data.NumClasses, device,
                new FineTuneHooks { GradientMask = mask });
        }
        finally
        {
            foreach (var m in mask.Values) m.Dispose();
        }
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["lr"] = options.LearningRate, ["ratio"] = ratio });
    }
}
