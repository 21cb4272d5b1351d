using Reproduce.Tests.Support;
using Unlearning.Adversaries;
using Unlearning.Data;
using Unlearning.Healing;
using Unlearning.Models;
using Unlearning.Scenarios;
using Unlearning.Training;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>The pieces of Healing §5.3: who picks the 25, how twins are paired, and the healing fine-tune's epoch budgets.</summary>
public class HealingExperimentTests
{
    [Fact, Scale("unit")]
    public void Class_targeted_requests_are_distinct_members_of_the_class_and_fixed_by_the_seed()
    {
        int[] labels = Enumerable.Range(0, 200).Select(i => i % 10).ToArray();
        int[] train = Enumerable.Range(0, 150).ToArray();
        var a = ClassTargeted.Draw(train, labels, 7, 10, seed: 3);
        Assert.Equal(10, a.Distinct().Count());
        Assert.All(a, i => { Assert.Equal(7, labels[i]); Assert.Contains(i, train); });
        Assert.Equal(a, ClassTargeted.Draw(train, labels, 7, 10, seed: 3));
        Assert.NotEqual(a, ClassTargeted.Draw(train, labels, 7, 10, seed: 4));
        Assert.Contains("class 7 has 15 training samples; cannot target 16",
            Assert.Throws<ArgumentException>(() => ClassTargeted.Draw(train, labels, 7, 16, seed: 3)).Message);
    }

    [Fact, Scale("unit")]
    public void The_logit_margin_is_the_true_class_logit_minus_the_best_other()
    {
        Assert.Equal(1.5, WorstLogits.Margin([0.5f, 2.0f, -1f], 1), 6);
        Assert.Equal(-1.5, WorstLogits.Margin([0.5f, 2.0f, -1f], 0), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => WorstLogits.Margin([0.5f, 2.0f], 2));
    }

    [Fact, Scale("unit")]
    public void The_worst_logits_adversary_picks_the_samples_the_model_fits_worst()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 2);
        int[] train = Enumerable.Range(0, 300).ToArray();
        var picked = WorstLogits.Select(model, data, train, 12);
        var e = new Evaluator().Evaluate(model, data, train, keepLogits: true);
        var margins = train.ToDictionary(i => i, i => WorstLogits.Margin(e.Logits![i], e.Labels[i]));
        double worstKept = margins.Where(p => !picked.Contains(p.Key)).Min(p => p.Value);
        Assert.Equal(12, picked.Distinct().Count());
        Assert.All(picked, i => Assert.True(margins[i] <= worstKept, $"sample {i} (margin {margins[i]}) is not among the 12 lowest"));
    }

    [Fact, Scale("unit")]
    public void Twins_are_the_nearest_unused_backup_elements_and_never_shared()
    {
        // Points on a line: requests 0..3 at 0, 1, 2, 10; backup 10..14 at 0.1, 0.2, 5, 9, 20.
        var at = new Dictionary<int, double> { [0] = 0, [1] = 1, [2] = 2, [3] = 10, [10] = 0.1, [11] = 0.2, [12] = 5, [13] = 9, [14] = 20 };
        var twins = Twins.Pair([0, 1, 2, 3], [10, 11, 12, 13, 14], i => [at[i]], new L2Metric());
        Assert.Equal(new int?[] { 10, 11, 12, 13 }, twins.Select(t => t.Twin));
        Assert.Equal(0.1, twins[0].Distance, 9);
        Assert.Equal(0.8, twins[1].Distance, 9); // 0.1 is taken: the next nearest
        var limited = Twins.Pair([0, 3], [10, 12], i => [at[i]], new L2Metric(), delta: 1);
        Assert.Equal(10, limited[0].Twin);
        Assert.Null(limited[1].Twin); // 5 is farther than δ from 10
        Assert.Contains("both a training element and a backup element",
            Assert.Throws<ArgumentException>(() => Twins.Pair([0, 10], [10], i => [at[i]], new L2Metric())).Message);
    }

    [Fact, Scale("smoke")]
    public void One_healing_run_evaluated_at_each_budget_equals_separate_runs_of_each_budget()
    {
        var scenario = ScaleProfile.Smoke.HealingBase(DatasetId.Mnist10k);
        var (data, split) = Shared.Runner.Prepare(scenario);
        Assert.True(split.Spare.Length >= 25 && split.Train.Length <= 1120, $"{split.Spare.Length} backup, {split.Train.Length} primary");
        using var start = ModelSpec.SmallCnn.Create(1, 28, 10, 6);
        ImageClassifier Create() => ModelSpec.SmallCnn.Create(1, 28, 10, 6);
        var remain = split.Train.Take(400).ToArray();
        var added = split.Spare.Take(25).ToArray();
        var both = HealingFineTune.Run(start, Create, data, remain, added, [1, 2], split.Test, 64, seed: 4);
        var one = HealingFineTune.Run(start, Create, data, remain, added, [1], split.Test, 64, seed: 4);
        var two = HealingFineTune.Run(start, Create, data, remain, added, [2], split.Test, 64, seed: 4);
        Assert.Equal(one[1], both[1]);
        Assert.Equal(two[2], both[2]);
        Assert.Contains("already in the remaining set",
            Assert.Throws<ArgumentException>(() => HealingFineTune.Run(start, Create, data, remain, [remain[0]], [1], split.Test, 64, seed: 4)).Message);
    }
}
