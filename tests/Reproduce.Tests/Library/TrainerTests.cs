using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Scenarios;
using Unlearning.Training;
using Xunit;

namespace Reproduce.Tests.Library;

[Collection(Serial.Name)]
public class TrainerTests
{
    [Fact, Scale("unit")]
    public void Schedules_follow_their_definitions()
    {
        var step = new TrainingConfig(10, 1, OptimizerKind.Sgd, 0.1, Schedule: ScheduleKind.Step, StepEveryEpochs: 4);
        Assert.Equal(0.1, step.LearningRateAt(0, 100, 10), 12);
        Assert.Equal(0.1, step.LearningRateAt(39, 100, 10), 12);
        Assert.Equal(0.01, step.LearningRateAt(40, 100, 10), 12);
        Assert.Equal(0.001, step.LearningRateAt(80, 100, 10), 12);
        var warm = new TrainingConfig(1, 1, OptimizerKind.Sgd, 1.0, Schedule: ScheduleKind.WarmupLinear, WarmupFraction: 0.1);
        Assert.Equal(0.1, warm.LearningRateAt(0, 100, 100), 12);
        Assert.Equal(1.0, warm.LearningRateAt(9, 100, 100), 12);
        Assert.Equal(0.5, warm.LearningRateAt(55, 100, 100), 12);
        Assert.Equal(0.0, warm.LearningRateAt(100, 100, 100), 12);
    }

    [Fact, Scale("unit")]
    public void Invalid_configs_and_empty_index_sets_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TrainingConfig.Adam(1, batchSize: 0).Validate());
        Assert.Throws<ArgumentException>(() => (TrainingConfig.Adam(1) with { LearningRate = double.NaN }).Validate());
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer().Fit(model, data, [], TrainingConfig.Adam(1), 1));
        Assert.Contains("empty index set", e.Message);
    }

    [Fact, Scale("smoke")]
    public void Same_seed_twice_gives_identical_losses_and_per_sample_outputs()
    {
        var scenario = ScaleProfile.Smoke.BaseModel(DatasetId.Mnist10k, seed: 5);
        var (data, split) = Shared.Runner.Prepare(scenario);
        (IReadOnlyList<double> Losses, Evaluation Eval) Once()
        {
            using var model = scenario.Model.Create(1, 28, 10, scenario.Seed);
            var report = new Trainer().Fit(model, data, split.Train, scenario.Training, scenario.Seed);
            return (report.EpochLosses, new Evaluator().Evaluate(model, data, split.Test));
        }
        var a = Once();
        var b = Once();
        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(a.Eval.Phi, b.Eval.Phi);
        Assert.Equal(a.Eval.Predicted, b.Eval.Predicted);
        Assert.True(a.Losses[^1] < a.Losses[0], "loss must fall during training");
        var other = Shared.Runner.Prepare(scenario.WithSeed(6)).Split;
        Assert.NotEqual(split.Train, other.Train);
    }

    [Fact, Scale("smoke")]
    public void Resident_memory_stays_flat_over_1000_training_steps()
    {
        // RSS of a healthy run wanders by a few percent as the allocator reuses pages, so a single before/after
        // pair is noise. Sample it after every epoch (50 steps) and fit a line: a leak of even one batch tensor
        // per step (100 KB) would add ~100 MB, a third of the process, over 1,000 steps.
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        int[] indices = Enumerable.Range(0, 1600).ToArray();
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 2);
        var trainer = new Trainer();
        trainer.Fit(model, data, indices, TrainingConfig.Adam(epochs: 10, batchSize: 32), 1); // 500 warm-up steps
        var samples = new List<double>();
        var progress = new Inline<TrainingProgress>(p => { if (p.Step == p.StepsPerEpoch) samples.Add(Rss()); });
        var report = trainer.Fit(model, data, indices, TrainingConfig.Adam(epochs: 20, batchSize: 32), 2, progress); // 1,000 steps
        Assert.Equal(1000, report.Steps);
        Assert.Equal(20, samples.Count);
        double meanX = (samples.Count - 1) / 2.0, meanY = samples.Average();
        double slope = samples.Select((y, x) => (x - meanX) * (y - meanY)).Sum() / samples.Select((_, x) => (x - meanX) * (x - meanX)).Sum();
        double growth = slope * (samples.Count - 1) / samples[0];
        Assert.True(growth <= 0.05,
            $"RSS trend grew {growth:P1} over 1,000 steps (samples, MiB: {string.Join(", ", samples.Select(v => (v / 1048576).ToString("0")))})");
    }

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Environment.WorkingSet;
    }
}
