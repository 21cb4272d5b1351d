using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Poisoning;
using Unlearning.Scenarios;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

[Scale("unit"), Trait("Paper", "Potion")]
public class PoisoningTests
{
    [Fact]
    public void BadNet_sets_exactly_the_bottom_right_patch_to_the_maximum()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 1, 28, 28);
        var y = new BadNetPatch().Apply(x, [0, 1]);
        Assert.Equal(2 * 9, y.sum().item<float>());
        Assert.Equal(1f, y[1, 0, 27, 27].item<float>());
        Assert.Equal(1f, y[0, 0, 25, 25].item<float>());
        Assert.Equal(0f, y[0, 0, 24, 27].item<float>());
        Assert.Equal(0f, x.sum().item<float>()); // the input is not modified
    }

    [Fact]
    public void Moving_trigger_uses_all_four_corners_and_keeps_each_images_corner()
    {
        var t = new MovingTrigger(seed: 7);
        var corners = Enumerable.Range(0, 400).Select(t.CornerOf).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 3 }, corners.Distinct().Order());
        Assert.Equal(corners, Enumerable.Range(0, 400).Select(new MovingTrigger(seed: 7).CornerOf));
        using var scope = NewDisposeScope();
        var y = t.Apply(zeros(4, 1, 28, 28), [0, 1, 2, 3]);
        for (int i = 0; i < 4; i++)
        {
            int c = t.CornerOf(i);
            long top = c < 2 ? 0 : 25, left = c % 2 == 0 ? 0 : 25;
            Assert.Equal(9f, y[i, 0, TensorIndex.Slice(top, top + 3), TensorIndex.Slice(left, left + 3)].sum().item<float>());
            Assert.Equal(9f, y[i].sum().item<float>());
        }
    }

    [Fact]
    public void Sinusoid_adds_a_column_wave_of_amplitude_a_tenth_and_stays_in_range()
    {
        using var scope = NewDisposeScope();
        var x = full(1, 1, 28, 28, 0.5f);
        var y = new SinusoidTrigger().Apply(x, [0]);
        var diff = (y - x);
        Assert.InRange(diff.abs().max().item<float>(), 0.09f, 0.1001f);
        Assert.True(diff[0, 0, 0].allclose(diff[0, 0, 27]), "the wave varies along columns only");
        Assert.Equal(1f, new SinusoidTrigger().Apply(ones(1, 1, 28, 28), [0]).max().item<float>());
    }

    [Fact]
    public void Poison_plan_draws_s_m_from_the_training_set_and_nested_s_f_subsets()
    {
        int[] train = Enumerable.Range(100, 1000).ToArray();
        var plan = PoisonPlan.Draw(train, 0.02, new BadNetPatch(), seed: 3);
        Assert.Equal(20, plan.Poisoned.Length);
        Assert.All(plan.Poisoned, i => Assert.Contains(i, train));
        var ten = plan.Identified(0.1);
        var half = plan.Identified(0.5);
        Assert.Equal(2, ten.Length);
        Assert.Equal(10, half.Length);
        Assert.Subset(half.ToHashSet(), ten.ToHashSet());
        Assert.Subset(plan.Poisoned.ToHashSet(), half.ToHashSet());
        Assert.Single(plan.Identified(count: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Identified(count: 21));
        Assert.Equal(plan.Poisoned, PoisonPlan.Draw(train, 0.02, new BadNetPatch(), seed: 3).Poisoned);
    }

    [Fact]
    public void Training_transform_stamps_and_relabels_only_poisoned_samples()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        int[] train = Enumerable.Range(0, 200).Select(i => i * 50).ToArray(); // spans all ten classes
        var plan = PoisonPlan.Draw(train, 0.1, new BadNetPatch(), seed: 1);
        int[] batch = train.Take(60).ToArray();
        using var scope = NewDisposeScope();
        var (x, y) = data.Batch(batch);
        var (x2, y2) = plan.TrainingTransform()(x, y, batch);
        for (int i = 0; i < batch.Length; i++)
        {
            bool poisoned = plan.IsPoisoned(batch[i]);
            Assert.Equal(poisoned ? 0 : data.Labels[batch[i]], (int)y2[i].item<long>());
            Assert.Equal(poisoned ? 1f : x[i, 0, 26, 26].item<float>(), x2[i, 0, 26, 26].item<float>());
        }
        Assert.Contains(batch, plan.IsPoisoned);
        var (_, yf) = plan.ForgetTransform()(x, y, batch);
        Assert.True(yf.eq(0).all().item<bool>());
        var (_, yt) = plan.TriggeredTestTransform()(x, y, batch);
        Assert.True(yt.eq(y).all().item<bool>());
    }

    [Fact]
    public void Paper_scale_poisons_the_papers_counts_of_cifar_training_images_and_holds_out_a_validation_set()
    {
        // CIFAR-10's layout: 50,000 training images, then the official 10,000 test images.
        var labels = Enumerable.Range(0, 60_000).Select(i => i % 10).ToArray();
        var officialTest = Enumerable.Range(50_000, 10_000).ToArray();
        foreach (int count in new[] { 100, 500, 1000 })
        {
            var s = Unlearning.Scenarios.PoisonScenario.Paper(poisoned: count);
            var split = Splitter.Split(labels, s.Base.Split, s.Base.Seed, officialTest);
            Assert.Equal(49_000, split.Train.Length);
            Assert.Equal(1_000, split.Spare.Length);
            Assert.Equal(10_000, split.Test.Length);
            Assert.Equal(count, PoisonPlan.Draw(split.Train, s.PoisonFraction, s.CreateTrigger(), s.Base.Seed).Poisoned.Length);
            Assert.Equal(Unlearning.Models.ModelKind.ResNet9, s.Base.Model.Kind);
        }
    }

    [Fact, Scale("unit")]
    public void Table_1_averages_the_goel_grid_thirty_cifar_scenarios_at_paper_scale_and_the_ci_sweep_otherwise()
    {
        var paper = ScaleProfile.Paper.GoelGrid;
        Assert.Equal(30, paper.Count);
        Assert.Equal(new int?[] { 100, 500, 1000 }, paper.Select(g => g.Poisoned).Distinct());
        Assert.Equal(Enumerable.Range(1, 10).Select(k => $"S_f={10 * k}%"), paper.Select(g => g.Discovery.Name).Distinct());
        var ci = ScaleProfile.Ci;
        Assert.Equal(["S_f=10%", "S_f=50%", "S_f=100%"], ci.GoelGrid.Select(g => g.Discovery.Name));
        Assert.All(ci.GoelGrid, g => Assert.Null(g.Poisoned));
        Assert.Throws<ArgumentException>(() => ci.Poison(Unlearning.Scenarios.TriggerKind.BadNet, 100));
        Assert.Equal(500, (int)Math.Round(ScaleProfile.Paper.Poison(Unlearning.Scenarios.TriggerKind.BadNet, 500).PoisonFraction * 49_000));
    }
}
