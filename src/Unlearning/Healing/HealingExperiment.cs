using Unlearning.Adversaries;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Unlearning.Healing;

/// <summary>Who chooses the 25 samples to unlearn in the healing experiment.</summary>
public enum HealingRequest
{
    /// <summary>25 images of one class drawn at random (Healing Table 4; class 7 on MNIST).</summary>
    ClassTargeted,
    /// <summary>The 25 training images of lowest true-class logit margin under the base model (Table 5, parameter-aware).</summary>
    WorstLogits,
}

/// <summary>
/// Settings of one healing experiment (Healing §5.3.1). <see cref="Runs"/> unlearning runs per method (the paper: 5), the
/// representative start being the run closest to their mean; <see cref="Budgets"/> are the healing epoch budgets (null:
/// 1 and ⌈N/2⌉ of the base model's N); <see cref="RandomControl"/> adds Remain+Random-25 (Table 5's bottom block).
/// </summary>
public sealed record HealingSetup(
    HealingRequest Request,
    FisherOptions Fisher,
    InfluenceOptions Influence,
    int Count = 25,
    int TargetClass = 7,
    int Runs = 5,
    bool RandomControl = false,
    int[]? Budgets = null);

/// <summary>
/// One approximate unlearning method's runs on the request: each run's test accuracy and time, and the representative
/// run (closest to the mean accuracy) from which healing starts. <see cref="Std"/> is the sample standard deviation.
/// </summary>
public sealed record StartModel(string Method, double[] Accuracies, double[] Seconds, int Representative)
{
    /// <summary>Mean test accuracy over the runs.</summary>
    public double Mean => Accuracies.Average();

    /// <summary>Sample standard deviation (n − 1) of the runs' test accuracies (0 for one run).</summary>
    public double Std => Metrics.SampleStatistics.Std(Accuracies);

    /// <summary>The representative run's accuracy (Healing Table 4's "Init Acc").</summary>
    public double RepresentativeAccuracy => Accuracies[Representative];
}

/// <summary>How well one metric's twins match the request: mean distance, twins found, and twins of the same class as their request.</summary>
public sealed record TwinSummary(string Configuration, double MeanDistance, int Found, int SameClass);

/// <summary>Everything one healing experiment measured (Healing Tables 4–6).</summary>
public sealed record HealingOutcome(
    HealingSetup Setup,
    int[] Forget,
    double BaselineAccuracy,
    double GoldAccuracy,
    IReadOnlyList<StartModel> Starts,
    IReadOnlyList<HealedAccuracy> Healed,
    IReadOnlyList<TwinSummary> Twins)
{
    /// <summary>Per test sample: the Gold model predicts it right.</summary>
    public bool[] GoldCorrect { get; init; } = [];

    /// <summary>The per-sample outcomes of the best configuration from <paramref name="start"/> after <paramref name="epochs"/> among those passing <paramref name="which"/>.</summary>
    public bool[] BestCorrect(string start, int epochs, Func<string, bool>? which = null) =>
        From(start, which).MaxBy(h => h.AfterEpochs[epochs])!.CorrectAfter[epochs];

    /// <summary>The number of test samples every accuracy of the outcome is measured on.</summary>
    public int TestSize { get; init; }

    /// <summary>The healing epoch budgets, ascending.</summary>
    public int[] Budgets => Healed[0].AfterEpochs.Keys.Order().ToArray();

    /// <summary>The start model of a method ("FS" or "IF").</summary>
    public StartModel Start(string method) => Starts.Single(s => s.Method == method);

    /// <summary>The configurations healed from <paramref name="start"/>, filtered by <paramref name="which"/>.</summary>
    public IEnumerable<HealedAccuracy> From(string start, Func<string, bool>? which = null) =>
        Healed.Where(h => h.Start == start && (which == null || which(h.Configuration)));

    /// <summary>The best healed accuracy from <paramref name="start"/> after <paramref name="epochs"/> among configurations passing <paramref name="which"/>.</summary>
    public (string Configuration, double Accuracy) Best(string start, int epochs, Func<string, bool>? which = null) =>
        From(start, which).Select(h => (h.Configuration, h.AfterEpochs[epochs])).MaxBy(p => p.Item2);

    /// <summary>The worst healed accuracy, as <see cref="Best"/>.</summary>
    public (string Configuration, double Accuracy) Worst(string start, int epochs, Func<string, bool>? which = null) =>
        From(start, which).Select(h => (h.Configuration, h.AfterEpochs[epochs])).MinBy(p => p.Item2);
}

/// <summary>
/// Healing §5.3 (Tables 4–6): on a base model M trained on the primary 70% of the training pool (the other 30% is the
/// backup set, never trained on), a request to unlearn 25 samples (one class at random, or the worst 25 logits); Gold =
/// M retrained without them; Fisher (FS) and Influence (IF) unlearning run <see cref="HealingSetup.Runs"/> times each,
/// healing starting from the run closest to the mean; replacements for the 25 searched in the backup set under the four
/// metrics of <see cref="TwinMetric"/> (features from M, Σ on D_r); then each start is fine-tuned (Adam 10⁻³) on
/// Remain+Twins per metric, RemainOnly ("R") and optionally Remain+Random-25 ("T-Random"), for 1 and ⌈N/2⌉ epochs.
/// </summary>
public static class HealingExperiment
{
    /// <summary>The labels of the two start methods, as the paper's tables write them.</summary>
    public const string Fisher = "FS", Influence = "IF";

    /// <summary>The RemainOnly and Remain+Random-25 configuration labels.</summary>
    public const string RemainOnly = "R", RandomReplacement = "T-Random";

    /// <summary>Runs the experiment on <paramref name="b"/> (whose split's Spare set is the backup set).</summary>
    public static HealingOutcome Run(ScenarioRunner runner, TrainedBase b, HealingSetup setup, Action<string>? log = null)
    {
        if (b.Split.Spare.Length < setup.Count)
            throw new ArgumentException($"the backup set has {b.Split.Spare.Length} samples; healing {setup.Count} requests needs at least as many (set SplitSpec.SpareFraction)");
        var data = b.Data;
        var test = b.Split.Test;
        var evaluator = runner.Evaluator(b.Scenario);
        int[] budgets = setup.Budgets ?? [1, (b.Scenario.Training.Epochs + 1) / 2];
        budgets = budgets.Distinct().Order().ToArray();

        int[] forget = setup.Request == HealingRequest.ClassTargeted
            ? ClassTargeted.Draw(b.Split.Train, data.Labels, setup.TargetClass, setup.Count, b.Scenario.Seed)
            : WorstLogits.Select(b.Model, data, b.Split.Train, setup.Count, runner.Device, b.Scenario.Training.Limits);
        var gone = new HashSet<int>(forget);
        int[] remain = b.Split.Train.Where(i => !gone.Contains(i)).ToArray();

        log?.Invoke($"healing ({setup.Request}): Gold = retraining without the {forget.Length} requested samples");
        var (gold, _, _) = runner.TrainModel(b.Scenario, b.Scenario.TrainingKey(remain, "gold"), data, remain, null, log: log);
        bool[] goldCorrect;
        using (gold) goldCorrect = evaluator.Correct(gold, data, test);
        double goldAccuracy = (double)goldCorrect.Count(c => c) / goldCorrect.Length;

        var starts = new List<StartModel>();
        var startModels = new Dictionary<string, Models.ImageClassifier>();
        try
        {
            foreach (var (label, unlearner) in new (string, IUnlearner)[] { (Fisher, new FisherForgetting(setup.Fisher)), (Influence, new InfluenceUnlearning(setup.Influence)) })
            {
                var models = new List<Models.ImageClassifier>();
                var accuracies = new double[setup.Runs];
                var seconds = new double[setup.Runs];
                try
                {
                    for (int run = 0; run < setup.Runs; run++)
                    {
                        log?.Invoke($"healing ({setup.Request}): {unlearner.Name} run {run + 1}/{setup.Runs}");
                        var request = new UnlearningRequest(b.Model, () => runner.CreateModel(b.Scenario, data), data, remain, forget, b.Scenario.Training,
                            b.Scenario.Seed + 1000 * (run + 1), Device: runner.Device);
                        var result = unlearner.Unlearn(request);
                        models.Add(result.Model);
                        accuracies[run] = evaluator.Accuracy(result.Model, data, test);
                        seconds[run] = result.Seconds;
                    }
                    double mean = accuracies.Average();
                    int representative = Enumerable.Range(0, setup.Runs).MinBy(r => Math.Abs(accuracies[r] - mean));
                    starts.Add(new StartModel(label, accuracies, seconds, representative));
                    startModels[label] = models[representative];
                    models.RemoveAt(representative);
                }
                finally
                {
                    foreach (var m in models) m.Dispose();
                }
            }

            var replacements = new List<(string Configuration, int[] Added)>();
            var summaries = new List<TwinSummary>();
            foreach (var metric in Enum.GetValues<TwinMetric>())
            {
                var space = TwinSpace.Build(metric, b.Model, data, remain, forget.Concat(b.Split.Spare), runner.Device);
                var matches = Twins.Pair(forget, b.Split.Spare, space, seed: b.Scenario.Seed);
                var found = matches.Where(m => m.Twin != null).ToArray();
                string label = TwinSpace.Label(metric);
                replacements.Add((label, found.Select(m => m.Twin!.Value).ToArray()));
                summaries.Add(new TwinSummary(label, found.Length == 0 ? double.NaN : found.Average(m => m.Distance), found.Length,
                    found.Count(m => data.Labels[m.Twin!.Value] == data.Labels[m.Request])));
            }
            replacements.Add((RemainOnly, []));
            if (setup.RandomControl)
            {
                var order = new SeededRandom(b.Scenario.Seed, stream: 0x2A4D).Permutation(b.Split.Spare.Length);
                var random = order.Take(setup.Count).Select(i => b.Split.Spare[i]).ToArray();
                replacements.Add((RandomReplacement, random));
                summaries.Add(new TwinSummary(RandomReplacement, double.NaN, random.Length, random.Zip(forget).Count(p => data.Labels[p.First] == data.Labels[p.Second])));
            }

            var healed = new List<HealedAccuracy>();
            foreach (var start in starts)
                foreach (var (configuration, added) in replacements)
                {
                    log?.Invoke($"healing ({setup.Request}): {start.Method} + Remain{(added.Length > 0 ? $"+{configuration}" : "Only")}, {budgets.Max()} epochs");
                    var after = HealingFineTune.RunPerSample(startModels[start.Method], () => runner.CreateModel(b.Scenario, data), data, remain, added, budgets, test,
                        b.Scenario.Training.BatchSize, b.Scenario.Seed + 7, runner.Device, limits: b.Scenario.Training.Limits);
                    healed.Add(new HealedAccuracy(start.Method, configuration, added.Length,
                        after.ToDictionary(p => p.Key, p => (double)p.Value.Count(c => c) / p.Value.Length)) { CorrectAfter = after });
                }
            return new HealingOutcome(setup, forget, b.TestAccuracy, goldAccuracy, starts, healed, summaries) { TestSize = test.Length, GoldCorrect = goldCorrect };
        }
        finally
        {
            foreach (var m in startModels.Values) m.Dispose();
        }
    }
}
