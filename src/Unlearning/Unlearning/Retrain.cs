using System.Diagnostics;
using Unlearning.Training;

namespace Unlearning.Unlearning;

/// <summary>
/// Exact unlearning: a fresh model trained from scratch on D_R with the original training configuration and seed
/// (the Healing paper's gold model M_Gold; Potion's EU, which retrains on S_tr ∖ S_f and so keeps the unidentified poison).
/// </summary>
public sealed class Retrain(string name = "Retrain") : IUnlearner
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        r.Validate();
        var clock = Stopwatch.StartNew();
        var model = r.CreateModel();
        var report = new Trainer(r.Device).Fit(model, r.Data, r.Retain, r.Training, r.Seed, transform: r.RetainTransform);
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["final_loss"] = report.EpochLosses[^1] });
    }
}

/// <summary>The "None" row: the model as it was (a copy).</summary>
public sealed class NoUnlearning : IUnlearner
{
    /// <inheritdoc />
    public string Name => "None";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r) =>
        new(ModelCopy.Clone(r.Validate().Model, r.CreateModel), 0, new Dictionary<string, double>());
}
