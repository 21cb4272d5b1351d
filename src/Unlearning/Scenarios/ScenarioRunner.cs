using TorchSharp;
using System.Globalization;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Scenarios;

/// <summary>
/// A trained base model with everything a claim needs to go on from it. <c>Training</c> is this run's report,
/// or the one recorded in the cache manifest when the model came from the cache.
/// </summary>
public sealed record TrainedBase(Scenario Scenario, ImageDataset Data, DataSplit Split, ImageClassifier Model, double TrainAccuracy, double TestAccuracy, bool FromCache, TrainingReport Training);

/// <summary>
/// Turns a <see cref="Scenario"/> into a trained base model: loads the data, cuts the split, and trains the model
/// or loads it from the <see cref="ModelCache"/> (keyed by <see cref="Scenario.Hash"/>). <paramref name="progress"/>, if
/// given, receives the epochs and steps of every model this runner trains whose caller passes no progress of its own
/// (how <c>reproduce run</c> shows training inside claims).
/// </summary>
public sealed class ScenarioRunner(DataCatalog catalog, ModelCache cache, Device? device = null, IProgress<TrainingProgress>? progress = null)
{
    private readonly Device _device = device ?? CPU;
    private readonly IProgress<TrainingProgress>? _progress = progress;

    /// <summary>The device models train and evaluate on.</summary>
    public Device Device => _device;

    /// <summary>The data catalog in use.</summary>
    public DataCatalog Catalog { get; } = catalog;

    /// <summary>An evaluator on this runner's device under the scenario's caps (a dry run's; none in a real run).</summary>
    public Evaluator Evaluator(Scenario scenario) => new(_device, limits: scenario.Training.Limits);

    /// <summary>Cuts the scenario's split (deterministic in the seed).</summary>
    public (ImageDataset Data, DataSplit Split) Prepare(Scenario scenario)
    {
        var data = Catalog.Load(scenario.Dataset);
        return (data, Splitter.Split(data.Labels, scenario.Split, scenario.Seed, data.OfficialTest));
    }

    /// <summary>Trains (or loads) the base model on the split's training set and evaluates it.</summary>
    public TrainedBase TrainBase(Scenario scenario, IProgress<TrainingProgress>? progress = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var (data, split) = Prepare(scenario);
        var (model, fromCache, report) = TrainModel(scenario, scenario.Hash, data, split.Train, null, progress, log, cancellation);
        var evaluator = Evaluator(scenario);
        return new TrainedBase(scenario, data, split, model,
            evaluator.Accuracy(model, data, split.Train), evaluator.Accuracy(model, data, split.Test), fromCache, report);
    }

    /// <summary>A fresh, untrained model of the scenario's architecture (weights drawn from its seed).</summary>
    public ImageClassifier CreateModel(Scenario scenario, ImageDataset data)
    {
        var (c, h, _) = data.ImageShape;
        var model = scenario.Model.Create(c, h, data.NumClasses, scenario.Seed);
        model.to(_device);
        return model;
    }

    /// <summary>
    /// Trains (or loads from the cache under <paramref name="cacheKey"/>) a model of the scenario's architecture and
    /// training configuration on <paramref name="train"/>, batches rewritten by <paramref name="transform"/>.
    /// </summary>
    public (ImageClassifier Model, bool FromCache, TrainingReport Report) TrainModel(Scenario scenario, string cacheKey, ImageDataset data, int[] train,
        BatchTransform? transform, IProgress<TrainingProgress>? progress = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var sink = progress ?? _progress;
        var (model, fromCache, metadata) = cache.GetOrTrain(cacheKey,
            () => CreateModel(scenario, data),
            m =>
            {
                var r = new Trainer(_device).Fit(m, data, train, scenario.Training, scenario.Seed, sink, transform: transform, cancellation: cancellation);
                return new Dictionary<string, string>
                {
                    ["scenario"] = scenario.CanonicalJson(),
                    ["name"] = scenario.Name,
                    ["trainImages"] = train.Length.ToString(CultureInfo.InvariantCulture),
                    ["seconds"] = r.Seconds.ToString("R", CultureInfo.InvariantCulture),
                    ["steps"] = r.Steps.ToString(CultureInfo.InvariantCulture),
                    ["images"] = r.Images.ToString(CultureInfo.InvariantCulture),
                    ["epochLosses"] = string.Join(" ", r.EpochLosses.Select(l => l.ToString("R", CultureInfo.InvariantCulture))),
                };
            }, log);
        model.to(_device);
        model.eval();
        return (model, fromCache, ReportFrom(metadata));
    }

    private static TrainingReport ReportFrom(IReadOnlyDictionary<string, string> m)
    {
        static double D(IReadOnlyDictionary<string, string> m, string k) => m.TryGetValue(k, out var v) && double.TryParse(v, CultureInfo.InvariantCulture, out double d) ? d : double.NaN;
        var losses = m.TryGetValue("epochLosses", out var l) && l.Length > 0
            ? l.Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray() : [];
        return new TrainingReport(losses, (int)D(m, "steps"), D(m, "seconds"), (long)D(m, "images"));
    }
}
