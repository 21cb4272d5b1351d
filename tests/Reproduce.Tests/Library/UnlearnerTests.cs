using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Scenarios;
using Unlearning.Training;
using Unlearning.Unlearning;
using Xunit;

namespace Reproduce.Tests.Library;

public class UnlearnerTests
{
    private static UnlearningRequest Request(ImageClassifier model, int[] retain, int[] forget)
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        return new UnlearningRequest(model, () => ModelSpec.SmallCnn.Create(1, 28, 10, 9), data, retain, forget, TrainingConfig.Adam(1, 64), 9);
    }

    [Fact, Scale("unit")]
    public void Empty_overlapping_and_out_of_range_forget_sets_are_refused_with_the_reason()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 1);
        Assert.Contains("forget set is empty", Assert.Throws<ArgumentException>(() => Request(model, [1, 2], []).Validate()).Message);
        Assert.Contains("sample 2 is in both", Assert.Throws<ArgumentException>(() => Request(model, [1, 2], [2]).Validate()).Message);
        Assert.Contains("forget index 10000 is outside", Assert.Throws<ArgumentException>(() => Request(model, [1, 2], [10000]).Validate()).Message);
        Assert.Contains("forget index 5 is listed twice", Assert.Throws<ArgumentException>(() => Request(model, [1, 2], [5, 7, 5]).Validate()).Message);
        Assert.Throws<ArgumentException>(() => new NoUnlearning().Unlearn(Request(model, [1], [])).Model.Dispose());
    }

    [Fact, Scale("smoke")]
    public void Retrain_is_a_fresh_model_trained_on_the_retain_set_only_and_leaves_the_original_untouched()
    {
        var scenario = ScaleProfile.Smoke.BaseModel(DatasetId.Mnist10k, seed: 9);
        var (data, split) = Shared.Runner.Prepare(scenario with { Split = scenario.Split with { ForgetFraction = 0.1 } });
        using var original = ModelSpec.SmallCnn.Create(1, 28, 10, 3);
        var before = original.parameters().Select(p => p.clone()).ToList();
        var request = Request(original, split.Retain, split.Forget) with { Training = scenario.Training };
        using var retrained = new Retrain().Unlearn(request).Model;
        using var direct = ModelSpec.SmallCnn.Create(1, 28, 10, 9);
        new Trainer().Fit(direct, data, split.Retain, scenario.Training, 9);
        Assert.All(retrained.parameters().Zip(direct.parameters()), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
        Assert.All(original.parameters().Zip(before), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
    }

    [Fact, Scale("unit")]
    public void None_returns_an_equal_but_separate_copy()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        using var copy = new NoUnlearning().Unlearn(Request(model, [1, 2], [3])).Model;
        Assert.All(copy.parameters().Zip(model.parameters()), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
        using (TorchSharp.torch.no_grad()) copy.parameters().First().zero_();
        Assert.False(model.parameters().First().allclose(copy.parameters().First(), 0, 0));
    }

    [Fact, Scale("unit")]
    public void Fixed_ssd_dampens_a_copy_exactly_as_eq_1_on_its_importances_and_never_grows_a_weight()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 5);
        var request = Request(model, Enumerable.Range(0, 96).ToArray(), Enumerable.Range(96, 8).ToArray());
        var result = new SsdUnlearner(importanceBatchSize: 32, alpha: 1.5).Unlearn(request);
        using var dampened = result.Model;
        var (iD, iF) = ImportanceEstimator.ForRequest(request, ImportanceKind.Ssd, 32);
        using var expected = ModelSpec.SmallCnn.Create(1, 28, 10, 6);
        ModelCopy.CopyInto(model, expected);
        long n = SsdDampening.Apply(expected, iD, iF, 1.5, 1);
        iD.Dispose();
        iF.Dispose();
        Assert.True(n > 0);
        Assert.Equal(n, (long)result.Diagnostics["dampened"]);
        foreach (var ((a, e), o) in dampened.parameters().Zip(expected.parameters()).Zip(model.parameters()))
        {
            Assert.True(a.allclose(e, 0, 0));
            Assert.True(a.abs().le(o.abs()).all().item<bool>());
        }
        Assert.Throws<ArgumentException>(() => new SsdUnlearner(32, alpha: 0).Unlearn(request));
    }
}

public class FisherForgettingTests
{
    private static UnlearningRequest Request(ImageClassifier model) =>
        new(model, () => ModelSpec.SmallCnn.Create(1, 28, 10, 9), Shared.Catalog.Load(DatasetId.Mnist10k),
            Enumerable.Range(0, 64).Select(i => i * 150).ToArray(), [7, 8], TrainingConfig.Adam(1, 32), 9);

    [Fact, Scale("unit")]
    public void Settings_that_cannot_work_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new FisherOptions(Sigma: -1).Validate());
        Assert.Throws<ArgumentException>(() => new FisherOptions(Epsilon: 0).Validate());
        Assert.Throws<ArgumentException>(() => new FisherOptions(MaxStepNorm: 0).Validate());
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 1);
        Assert.Throws<ArgumentException>(() => new FisherForgetting().Unlearn(Request(model) with { Retain = [] }));
    }

    [Fact, Scale("unit")]
    public void A_heavily_damped_noiseless_update_barely_moves_and_a_huge_sigma_is_reported_not_scored()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 2);
        var calm = new FisherForgetting(new FisherOptions(Sigma: 0, Epsilon: 1e9, FisherSamples: 16)).Unlearn(Request(model));
        using (calm.Model)
            Assert.All(calm.Model.parameters().Zip(model.parameters()), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 1e-6)));
        Assert.Equal(16, calm.Diagnostics["fisher_samples"]);
        var e = Assert.Throws<InvalidOperationException>(() => new FisherForgetting(new FisherOptions(Sigma: 1e38, Epsilon: 1e-30, FisherSamples: 4)).Unlearn(Request(model)));
        Assert.Contains("non-finite weights", e.Message);
    }

    [Fact, Scale("unit")]
    public void The_same_seed_gives_the_same_update()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 3);
        var options = new FisherOptions(FisherSamples: 8);
        using var a = new FisherForgetting(options).Unlearn(Request(model)).Model;
        using var b = new FisherForgetting(options).Unlearn(Request(model)).Model;
        Assert.All(a.parameters().Zip(b.parameters()), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
    }
}

public class InfluenceUnlearningTests
{
    private static UnlearningRequest Request(ImageClassifier model) =>
        new(model, () => ModelSpec.SmallCnn.Create(1, 28, 10, 9), Shared.Catalog.Load(DatasetId.Mnist10k),
            Enumerable.Range(0, 64).Select(i => i * 150).ToArray(), [7, 8, 9], TrainingConfig.Adam(1, 32), 9);

    [Fact, Scale("unit")]
    public void Settings_that_cannot_work_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new InfluenceOptions(Scale: 0).Validate());
        Assert.Throws<ArgumentException>(() => new InfluenceOptions(Damping: 1).Validate());
        Assert.Throws<ArgumentException>(() => new InfluenceOptions(Depth: 0).Validate());
        Assert.Throws<ArgumentException>(() => new InfluenceOptions(MaxNorm: -1).Validate());
    }

    [Fact, Scale("unit")]
    public void Each_update_is_clipped_to_the_max_norm_and_one_update_runs_per_deletion_batch()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        var result = new InfluenceUnlearning(new InfluenceOptions(BatchR: 16, BatchF: 2, MaxNorm: 0.05, Depth: 3)).Unlearn(Request(model));
        using var moved = result.Model;
        Assert.Equal(2, result.Diagnostics["updates"]); // 3 deleted samples in batches of 2
        double distance = Math.Sqrt(moved.parameters().Zip(model.parameters()).Sum(p => p.First.sub(p.Second).pow(2).sum().item<float>()));
        Assert.InRange(distance, 1e-6, 2 * 0.05 + 1e-4);
    }

    [Fact, Scale("unit")]
    public void A_diverging_lissa_estimate_stops_with_an_error_naming_the_step()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 5);
        var e = Assert.Throws<InvalidOperationException>(() =>
            new InfluenceUnlearning(new InfluenceOptions(BatchR: 16, Depth: 200, Scale: 1e-30)).Unlearn(Request(model)));
        Assert.Contains("non-finite at depth", e.Message);
    }
}

/// <summary>AMUN's fine-tuning unlearners: each returns a new model, leaves the original untouched, is deterministic in the seed.</summary>
public class AmunUnlearnerTests
{
    private static UnlearningRequest Request(ImageClassifier model) =>
        new(model, () => ModelSpec.SmallCnn.Create(1, 28, 10, 9), Shared.Catalog.Load(DatasetId.Mnist10k),
            Enumerable.Range(0, 96).Select(i => i * 97).ToArray(), Enumerable.Range(0, 16).Select(i => i * 97 + 1).ToArray(), TrainingConfig.Adam(1, 64), 9);

    public static TheoryData<string> Methods => new(AmunMethods().Keys);

    private static Dictionary<string, Func<IUnlearner>> AmunMethods()
    {
        var o = new FineTuneOptions(Epochs: 1, LearningRate: 1e-2, BatchSize: 32);
        var adv = new Unlearning.Attacks.AdversarialOptions(new Unlearning.Attacks.PgdOptions(Steps: 5), ProbeSize: 4);
        return new()
        {
            ["FT"] = () => new FineTuneUnlearner(o),
            ["RL"] = () => new RandomLabelUnlearner(o, useRetain: true),
            ["RL without D_R"] = () => new RandomLabelUnlearner(o, useRetain: false),
            ["GA"] = () => new GradientAscentUnlearner(o, useRetain: true),
            ["BS"] = () => new BoundaryShrinkUnlearner(o, useRetain: false),
            ["l1-sparse"] = () => new L1SparseUnlearner(o),
            ["SalUn"] = () => new SalUnUnlearner(o, useRetain: true),
            ["AMUN"] = () => new AmunUnlearner(o, useRetain: true, adv),
            ["AMUN+SalUn without D_R"] = () => new AmunUnlearner(o, useRetain: false, adv, saliencyRatio: 0.5),
        };
    }

    [Theory, Scale("unit")]
    [MemberData(nameof(Methods))]
    public void Unlearner_changes_a_copy_only_and_is_deterministic(string method)
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 3);
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        using var a = AmunMethods()[method]().Unlearn(Request(model)).Model;
        using var b = AmunMethods()[method]().Unlearn(Request(model)).Model;
        Assert.All(model.parameters().Zip(before), p => Assert.True(p.First.eq(p.Second).all().item<bool>(), $"{method} modified the original model"));
        Assert.Contains(a.parameters().Zip(model.parameters()), p => !p.First.eq(p.Second).all().item<bool>());
        Assert.All(a.parameters().Zip(b.parameters()), p => Assert.True(p.First.eq(p.Second).all().item<bool>(), $"{method} is not deterministic in the seed"));
        foreach (var t in before) t.Dispose();
    }

    [Fact, Scale("unit")]
    public void Methods_that_need_D_R_refuse_a_request_without_it()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 3);
        Assert.Throws<ArgumentException>(() => new FineTuneUnlearner(new FineTuneOptions(1, 1e-2)).Unlearn(Request(model) with { Retain = [] }));
        Assert.Throws<ArgumentException>(() => new FineTuneUnlearner(new FineTuneOptions(0, 1e-2)).Unlearn(Request(model)));
    }
}
