using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Unlearning;
using static TorchSharp.torch;

namespace Unlearning.Healing;

/// <summary>The test accuracy of one healing configuration after each epoch budget.</summary>
public sealed record HealedAccuracy(string Start, string Configuration, int Added, IReadOnlyDictionary<int, double> AfterEpochs)
{
    /// <summary>Per test sample, after each epoch budget: the prediction equals the label (for paired comparisons).</summary>
    public IReadOnlyDictionary<int, bool[]> CorrectAfter { get; init; } = new Dictionary<int, bool[]>();
}

/// <summary>
/// The healing fine-tune of Healing §5.3.1: a copy of the unlearned model is fine-tuned with Adam (lr 10⁻³) on the remaining
/// primary data D_r together with the replacements (twins, random spares, or none: "RemainOnly"). The paper runs 1 epoch
/// and ⌈N/2⌉ epochs; with a constant learning rate and the same seed the first epoch of the longer run is exactly the
/// 1-epoch run, so one run of the largest budget is evaluated after every budget. The start model is never modified.
/// </summary>
public static class HealingFineTune
{
    /// <summary>Fine-tunes and returns the test accuracy after each of <paramref name="budgets"/> (epochs ≥ 1).</summary>
    public static IReadOnlyDictionary<int, double> Run(ImageClassifier start, Func<ImageClassifier> create, ImageDataset data, IReadOnlyList<int> remain,
        IReadOnlyList<int> replacements, IReadOnlyList<int> budgets, int[] test, int batchSize, long seed, Device? device = null, double learningRate = 1e-3, IterationLimits? limits = null) =>
        RunPerSample(start, create, data, remain, replacements, budgets, test, batchSize, seed, device, learningRate, limits)
            .ToDictionary(p => p.Key, p => (double)p.Value.Count(c => c) / p.Value.Length);

    /// <summary>Fine-tunes and returns, after each of <paramref name="budgets"/>, whether each test sample is predicted right.</summary>
    public static IReadOnlyDictionary<int, bool[]> RunPerSample(ImageClassifier start, Func<ImageClassifier> create, ImageDataset data, IReadOnlyList<int> remain,
        IReadOnlyList<int> replacements, IReadOnlyList<int> budgets, int[] test, int batchSize, long seed, Device? device = null, double learningRate = 1e-3, IterationLimits? limits = null)
    {
        if (budgets.Count == 0 || budgets.Any(b => b < 1)) throw new ArgumentException("epoch budgets must be ≥ 1", nameof(budgets));
        var taken = new HashSet<int>(remain);
        int dup = replacements.FirstOrDefault(taken.Contains, -1);
        if (dup >= 0) throw new ArgumentException($"replacement {dup} is already in the remaining set", nameof(replacements));
        var evaluator = new Evaluator(device, limits: limits);
        var result = new SortedDictionary<int, bool[]>();
        using var model = ModelCopy.Clone(start, create);
        new Trainer(device).Fit(model, data, remain.Concat(replacements).ToArray(), TrainingConfig.Adam(budgets.Max(), batchSize, learningRate) with { Limits = limits }, seed,
            epochEnd: epoch =>
            {
                if (budgets.Contains(epoch)) result[epoch] = evaluator.Correct(model, data, test);
            });
        return result;
    }
}
