using System.Diagnostics;
using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>
/// Tensors live in native memory, released by one dispose scope per training and evaluation step: over 2,000 training steps
/// (and an evaluation pass after every epoch) the process's resident set stays flat once warm.
/// </summary>
[Collection(Serial.Name)]
public class MemoryTests(ITestOutputHelper output)
{
    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    [Fact, Scale("smoke")]
    public void Resident_memory_stays_flat_over_2000_training_steps()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        int[] train = Enumerable.Range(0, 640).ToArray();   // 20 steps of 32 per epoch
        int[] probe = Enumerable.Range(640, 256).ToArray();
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 3);
        var evaluator = new Evaluator();
        var readings = new List<(int Epoch, long Rss)>();
        new Trainer().Fit(model, data, train, TrainingConfig.Adam(epochs: 100, batchSize: 32), seed: 3, epochEnd: epoch =>
        {
            evaluator.Evaluate(model, data, probe, keepLogits: true);
            if (epoch % 10 == 0) readings.Add((epoch, Rss()));
        });
        long warm = readings.Single(r => r.Epoch == 10).Rss, end = readings[^1].Rss;
        output.WriteLine(string.Join(", ", readings.Select(r => $"step {r.Epoch * 20}: {r.Rss / (1 << 20)} MiB")));
        Assert.True(end <= warm * 1.05, $"RSS grew from {warm / (1 << 20)} MiB after 200 steps to {end / (1 << 20)} MiB after 2,000 (more than 5%): " +
                                        string.Join(", ", readings.Select(r => $"{r.Epoch * 20}: {r.Rss / (1 << 20)} MiB")));
    }
}
