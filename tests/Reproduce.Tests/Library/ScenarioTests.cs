using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Scenarios;
using Xunit;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public class ScenarioTests
{
    [Fact]
    public void Hash_is_stable_ignores_labels_and_changes_with_every_hashed_field()
    {
        var s = ScaleProfile.Ci.BaseModel(DatasetId.Mnist10k);
        Assert.Equal(s.Hash, ScaleProfile.Ci.BaseModel(DatasetId.Mnist10k).Hash);
        Assert.Matches("^[0-9a-f]{16}$", s.Hash);
        Assert.Equal(s.Hash, (s with { Name = "renamed" }).Hash);
        var variants = new[]
        {
            s with { Seed = 2 },
            s with { Dataset = DatasetId.FashionMnist10k },
            s with { Model = s.Model with { Width = 3 } },
            s with { Split = s.Split with { TestFraction = 0.3 } },
            s with { Training = s.Training with { Epochs = 11 } },
            s with { Training = s.Training with { LearningRate = 2e-3 } },
        };
        Assert.Equal(variants.Length + 1, variants.Select(v => v.Hash).Append(s.Hash).Distinct().Count());
    }

    [Theory]
    [InlineData("smoke", Scale.Smoke)]
    [InlineData("CI", Scale.Ci)]
    [InlineData(" paper ", Scale.Paper)]
    public void Scale_names_parse(string text, Scale expected) => Assert.Equal(expected, ScaleSetting.Parse(text));

    [Fact]
    public void Presets_respect_the_scale_budgets()
    {
        var smoke = ScaleProfile.Smoke.BaseModel(DatasetId.Mnist10k);
        Assert.True(smoke.Split.MaxTrain + smoke.Split.MaxTest <= 2000);
        Assert.InRange(smoke.Training.Epochs, 1, 2);
        var (_, split) = Shared.Runner.Prepare(ScaleProfile.Ci.BaseModel(DatasetId.Mnist10k));
        Assert.Equal(8000, split.Train.Length);
        Assert.Equal(2000, split.Test.Length);
        Assert.Equal(DatasetId.Mnist, ScaleProfile.Paper.BaseModel(DatasetId.Mnist10k).Dataset);
        Assert.Throws<ArgumentException>(() => ScaleSetting.Parse("huge"));
    }

    [Fact]
    public void A_profile_with_another_seed_draws_every_scenario_from_it_and_the_default_seed_keeps_the_hashes()
    {
        var ci = ScaleProfile.Ci;
        Assert.Same(ci, ci.WithSeed(ScaleProfile.DefaultSeed));
        Assert.Equal(ci.BaseModel(DatasetId.Mnist10k).Hash, ci.BaseModel(DatasetId.Mnist10k, ScaleProfile.DefaultSeed).Hash);
        var two = ci.WithSeed(2);
        Assert.Equal(2, two.Seed);
        Assert.All(new[] { two.BaseModel(DatasetId.Mnist10k), two.HealingBase(DatasetId.Mnist10k), two.Amun().Base, two.AmunLipschitz().Base, two.Poison(TriggerKind.Moving).Base },
            s => Assert.Equal(2, s.Seed));
        Assert.NotEqual(ci.Poison(TriggerKind.BadNet).Base.Hash, two.Poison(TriggerKind.BadNet).Base.Hash);
        Assert.Equal(ci.GoelGrid, two.GoelGrid);
    }
}
