using System.Diagnostics;
using Unlearning.Adversaries;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Unlearning.Healing;

/// <summary>One deleted share of Healing Fig. 1: Gold (retrain) and SISA accuracy after the deletion, and their unlearning times.</summary>
public sealed record DeletionPoint(double Fraction, int Deleted, double GoldAccuracy, double SisaAccuracy, double GoldSeconds, bool GoldFromCache, SisaDeletion Sisa,
    bool[] GoldCorrect, bool[] SisaCorrect);

/// <summary>
/// Healing §5.2, Table 1 and Fig. 1: the base model, a SISA ensemble (3 shards × 5 slices, Adam 1e-3) on the same
/// training set, and for each deleted share a Gold model retrained from scratch on what remains (cached by index set)
/// beside SISA after deleting the same samples (all at once: every affected shard restarts from its first affected slice).
/// </summary>
public static class DeletionExperiment
{
    /// <summary>The paper's SISA layout (3 shards, 5 slices) with the base model's N epochs spread over the 5 slice steps (⌈N/5⌉ each).</summary>
    public static SisaConfig Sisa(Scenario s) => Sisa(s, SliceSchedule.SpreadEpochs);

    /// <summary>
    /// The paper's SISA layout (3 shards, 5 slices) with the slice steps' epochs set by <paramref name="schedule"/>;
    /// <see cref="SliceSchedule.Unsliced"/> keeps the 3 shards and trains each on its whole shard for the base model's epochs.
    /// </summary>
    public static SisaConfig Sisa(Scenario s, SliceSchedule schedule)
    {
        int slices = schedule == SliceSchedule.Unsliced ? 1 : 5;
        return new(3, slices, s.Training with { Epochs = StepEpochs(s.Training.Epochs, slices, schedule) });
    }

    /// <summary>Epochs of each of <paramref name="slices"/> cumulative slice steps for a base budget of <paramref name="epochs"/>.</summary>
    public static int StepEpochs(int epochs, int slices, SliceSchedule schedule) => schedule switch
    {
        SliceSchedule.SpreadEpochs => Math.Max(1, (epochs + slices - 1) / slices),
        // Step j trains on j of R slices, so R steps of e′ epochs visit e′(R+1)/2 shard-epochs: e′ = 2e/(R+1) visits e.
        SliceSchedule.SameSampleVisits => Math.Max(1, (int)Math.Round(2.0 * epochs / (slices + 1), MidpointRounding.AwayFromZero)),
        SliceSchedule.Unsliced => slices == 1 ? epochs : throw new ArgumentException($"an unsliced shard has one slice, not {slices}", nameof(slices)),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "unknown slice schedule"),
    };

    /// <summary>
    /// Trains the SISA ensemble of a scenario with the slice steps' epochs set by <paramref name="schedule"/> (shard k's model
    /// initialised from seed + k).
    /// </summary>
    public static SisaEnsemble TrainSisa(ScenarioRunner runner, Scenario scenario, ImageDataset data, DataSplit split, SliceSchedule schedule) =>
        SisaEnsemble.Train(k => runner.CreateModel(scenario with { Seed = scenario.Seed + k }, data), data, split.Train, Sisa(scenario, schedule), scenario.Seed, runner.Device);

    /// <summary>
    /// Trains the SISA ensemble of a scenario on its split's training set (shard k's model initialised from seed + k). Needs
    /// only the split, not the trained base model.
    /// </summary>
    public static SisaEnsemble TrainSisa(ScenarioRunner runner, Scenario scenario, ImageDataset data, DataSplit split) =>
        TrainSisa(runner, scenario, data, split, SliceSchedule.SpreadEpochs);

    /// <summary>
    /// Runs each deleted share of a scenario's split on a copy of <paramref name="sisa"/> and a Gold retrain from scratch on
    /// what remains. Neither needs the trained base model, only its split: Fig. 2's further runs train none.
    /// </summary>
    public static IReadOnlyList<DeletionPoint> Run(ScenarioRunner runner, Scenario scenario, ImageDataset data, DataSplit split, SisaEnsemble sisa,
        IEnumerable<double> fractions)
    {
        var evaluator = runner.Evaluator(scenario);
        var points = new List<DeletionPoint>();
        foreach (double f in fractions)
        {
            var deleted = RandomDeletion.Draw(split.Train, f, scenario.Seed);
            var gone = new HashSet<int>(deleted);
            var remain = split.Train.Where(i => !gone.Contains(i)).ToArray();
            var clock = Stopwatch.StartNew();
            var (gold, fromCache, report) = runner.TrainModel(scenario, scenario.TrainingKey(remain, "gold"), data, remain, null);
            double goldSeconds = fromCache ? report.Seconds : clock.Elapsed.TotalSeconds;
            bool[] goldCorrect;
            using (gold) goldCorrect = evaluator.Correct(gold, data, split.Test);
            using var copy = sisa.Clone(k => runner.CreateModel(scenario, data));
            var deletion = copy.Delete(deleted);
            var sisaCorrect = copy.Correct(split.Test);
            points.Add(new DeletionPoint(f, deleted.Length, Share(goldCorrect), Share(sisaCorrect), goldSeconds, fromCache, deletion, goldCorrect, sisaCorrect));
        }
        return points;
    }

    private static double Share(bool[] correct) => (double)correct.Count(c => c) / correct.Length;
}

/// <summary>How SISA's cumulative slice steps share the base model's epoch budget e over R slices.</summary>
public enum SliceSchedule
{
    /// <summary>⌈e/R⌉ epochs per step: a shard model then visits ⌈e/R⌉(R+1)/2 shard-epochs (6 of 10 at e = 10, R = 5) and its last slice ⌈e/R⌉ times.</summary>
    SpreadEpochs,
    /// <summary>
    /// 2e/(R+1) epochs per step, rounded (Bourtoule et al.'s slicing analysis, SISA §IV: the same number of sample visits as
    /// training the shard unsliced for e epochs): 3 per step at e = 10, R = 5, so 9 shard-epochs.
    /// </summary>
    SameSampleVisits,
    /// <summary>No slicing (R = 1): each shard model trains e epochs on its whole shard — what sharding alone costs.</summary>
    Unsliced,
}

