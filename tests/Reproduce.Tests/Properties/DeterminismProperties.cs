using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;

namespace Reproduce.Tests.Properties;

/// <summary>
/// X.determinism over random small scenarios on the embedded MNIST digits: the same scenario and seed train the same
/// model twice — identical epoch losses and identical logits, bit for bit. Each case trains two models, so the property
/// runs 25 cases rather than FsCheck's 100.
/// </summary>
[Scale("smoke")]
public class DeterminismProperties
{
    public sealed record Case(long Seed, int TrainSize, int BatchSize, bool Adam, int Offset);

    public static Arbitrary<Case> Cases() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from size in Gen.Choose(32, 192)
         from batch in Gen.Elements(16, 32, 64)
         from adam in Gen.Elements(true, false)
         from offset in Gen.Choose(0, 9000)
         select new Case(seed, size, batch, adam, offset)).ToArbitrary();

    [Property(Arbitrary = [typeof(DeterminismProperties)], MaxTest = 25), Claim("X.determinism")]
    public bool Same_scenario_and_seed_give_identical_losses_and_logits(Case c)
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        int[] train = Enumerable.Range(c.Offset, c.TrainSize).ToArray();
        int[] probe = Enumerable.Range(c.Offset + c.TrainSize, 64).Select(i => i % data.Count).ToArray();
        var config = c.Adam ? TrainingConfig.Adam(1, c.BatchSize) : new TrainingConfig(1, c.BatchSize, OptimizerKind.Sgd, 0.05);
        (IReadOnlyList<double> Losses, float[][] Logits) Run()
        {
            using var model = ModelSpec.SmallCnn.Create(1, 28, 10, c.Seed);
            var report = new Trainer().Fit(model, data, train, config, c.Seed);
            return (report.EpochLosses, new Evaluator().Evaluate(model, data, probe, keepLogits: true).Logits!);
        }
        var a = Run();
        var b = Run();
        return a.Losses.SequenceEqual(b.Losses) && a.Logits.Zip(b.Logits).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }
}
