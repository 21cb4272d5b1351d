using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Attacks;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Reproduce.Tests.Amun;

/// <summary>
/// A.Alg1.props on a real trained model (the smoke-scale Fashion-MNIST CNN, trained once and cached): for random forget
/// sets and seeds, every x_adv of Alg. 1 is misclassified with y_adv its prediction, lies in [0, 1] within its final ε of
/// x, the final ε is ε_init·2^k, and k is minimal: the pass sizes count exactly the samples with a larger k, and the attack
/// re-run from ε_init with the ladder stopped at ε_init·2^(k−1) leaves each such sample correctly classified.
/// </summary>
[Scale("smoke")]
public class Algorithm1Tests
{
    private static readonly Lazy<TrainedBase> Model = new(() => Shared.Runner.TrainBase(ScaleProfile.Smoke.BaseModel(DatasetId.FashionMnist10k)));

    public sealed record Case(int[] Forget, long Seed, double ProbeEpsilon, int Steps);

    public static class Cases
    {
        public static Arbitrary<Case> Arbitrary() =>
            (from size in Gen.Choose(1, 40)
             from picks in Gen.ArrayOf(Gen.Choose(0, 1599), size)
             from seed in Gen.Choose(0, 10_000)
             from eps in Gen.Elements(0.005, 0.04, 0.3)
             from steps in Gen.Elements(5, 20, 50)
             select new Case(picks.Distinct().ToArray(), seed, eps, steps)).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Cases)], MaxTest = 12), Claim("A.Alg1.props")]
    public bool Adversarial_examples_are_misclassified_within_their_final_epsilon_with_minimal_doublings(Case c)
    {
        var b = Model.Value;
        int[] forget = c.Forget.Select(i => b.Split.Train[i % b.Split.Train.Length]).Distinct().ToArray();
        using var set = AdversarialSetBuilder.Build(b.Model, b.Data, forget, c.Seed,
            new AdversarialOptions(new PgdOptions(Steps: c.Steps), ProbeEpsilon: c.ProbeEpsilon, ProbeSize: 20));
        using var scope = NewDisposeScope();
        if (!set.Requested.SequenceEqual(forget) || set.Indices.Length + set.Failed.Length != forget.Length) return false;
        var (x, y) = b.Data.Batch(set.Indices);
        if (set.Indices.Length == 0) return true;
        long[] predicted;
        using (no_grad()) predicted = b.Model.forward(set.Images).argmax(1).data<long>().ToArray();
        long[] labels = y.data<long>().ToArray();
        double[] distance = set.Images.sub(x).flatten(1).norm(1, keepdim: false, p: 2).to_type(ScalarType.Float64).data<double>().ToArray();
        bool inRange = set.Images.min().item<float>() >= 0 && set.Images.max().item<float>() <= 1;
        for (int i = 0; i < set.Indices.Length; i++)
        {
            if (predicted[i] == labels[i] || predicted[i] != set.Labels[i]) return false;
            if (distance[i] > set.Epsilon[i] * (1 + 1e-5) + 1e-6) return false;
            if (set.Epsilon[i] != set.EpsilonInit * Math.Pow(2, set.Doublings[i])) return false;
        }
        for (int k = 0; k < set.PassSizes.Length; k++)
            if (set.PassSizes[k] != set.Doublings.Count(d => d >= k) + set.Failed.Length) return false;
        // Minimal k, by re-running the attack: the ladder stopped one level below a sample's k leaves it correctly classified.
        return inRange && set.PassSizes[0] == forget.Length && StayCorrectOneLevelLower(b, set, new AdversarialOptions(new PgdOptions(Steps: c.Steps)));
    }

    /// <summary>For each doubling count k &gt; 0, the samples with that k, re-attacked from ε_init with the ladder stopped at k − 1, all fail.</summary>
    private static bool StayCorrectOneLevelLower(TrainedBase b, AdversarialSet set, AdversarialOptions options)
    {
        foreach (var level in Enumerable.Range(0, set.Indices.Length).Where(i => set.Doublings[i] > 0).GroupBy(i => set.Doublings[i]))
        {
            int[] samples = level.Select(i => set.Indices[i]).ToArray();
            using var capped = AdversarialSetBuilder.Ladder(b.Model, b.Data, samples, set.EpsilonInit, options with { MaxDoublings = level.Key - 1 });
            if (!capped.Failed.Order().SequenceEqual(samples.Order())) return false;
        }
        return true;
    }

    [Xunit.Fact, Claim("A.T9.fgsm")]
    public void The_FFGSM_style_variant_returns_misclassified_points_within_their_bound()
    {
        var b = Model.Value;
        int[] forget = b.Split.Train.Take(60).ToArray();
        using var set = FastGradientSetBuilder.Build(b.Model, b.Data, forget, 5);
        using var scope = NewDisposeScope();
        Xunit.Assert.Equal(forget, set.Requested);
        Xunit.Assert.Equal(forget.Length, set.Indices.Length + set.Failed.Length);
        Xunit.Assert.NotEmpty(set.Indices);
        var (x, y) = b.Data.Batch(set.Indices);
        long[] predicted;
        using (no_grad()) predicted = b.Model.forward(set.Images).argmax(1).data<long>().ToArray();
        long[] labels = y.data<long>().ToArray();
        double[] distance = set.Images.sub(x).flatten(1).norm(1, keepdim: false, p: 2).to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < set.Indices.Length; i++)
        {
            Xunit.Assert.NotEqual(labels[i], predicted[i]);
            Xunit.Assert.Equal(set.Labels[i], predicted[i]);
            Xunit.Assert.InRange(distance[i], 0, set.Epsilon[i] * (1 + 1e-5) + 1e-6);
            Xunit.Assert.Equal(distance[i], set.Distance[i], 4);
        }
        Xunit.Assert.True(set.Images.min().item<float>() >= 0 && set.Images.max().item<float>() <= 1);
    }

    [Xunit.Fact, Claim("A.F1.adv-keeps-acc")]
    public void Substitute_sets_change_only_the_image_or_the_label_they_name()
    {
        var b = Model.Value;
        int[] forget = b.Split.Train.Take(30).ToArray();
        using var set = AdversarialSetBuilder.Build(b.Model, b.Data, forget, 3, new AdversarialOptions(new PgdOptions(Steps: 10), ProbeSize: 10));
        using var scope = NewDisposeScope();
        var (x, y) = b.Data.Batch(set.Indices);
        long[] truth = y.data<long>().ToArray();
        Tensor Images(Unlearning.Unlearning.SubstituteSet k, out long[] labels)
        {
            var block = Unlearning.Unlearning.SubstituteSets.Build(k, set, b.Data, 11);
            labels = block.Labels.data<long>().ToArray();
            return block.Images;
        }
        Xunit.Assert.Equal(0, Images(Unlearning.Unlearning.SubstituteSet.AdversarialLabel, out var advL).sub(x).abs().max().item<float>());
        Xunit.Assert.Equal(set.Labels, advL);
        Xunit.Assert.Equal(0, Images(Unlearning.Unlearning.SubstituteSet.AdversarialRandomLabel, out var arl).sub(set.Images).abs().max().item<float>());
        Images(Unlearning.Unlearning.SubstituteSet.RandomLabel, out var rl);
        for (int i = 0; i < truth.Length; i++)
        {
            Xunit.Assert.NotEqual(truth[i], rl[i]);
            Xunit.Assert.NotEqual(set.Labels[i], rl[i]);
            Xunit.Assert.NotEqual(truth[i], arl[i]);
            Xunit.Assert.NotEqual(set.Labels[i], arl[i]);
        }
        var sphere = Images(Unlearning.Unlearning.SubstituteSet.AdversarialRandomSphere, out var ars);
        Xunit.Assert.Equal(set.Labels, ars);
        double[] d = sphere.sub(x).flatten(1).norm(1, keepdim: false, p: 2).to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < d.Length; i++) Xunit.Assert.InRange(d[i], 0, set.Distance[i] + 1e-4);
    }

    [Xunit.Fact, Claim("A.Alg1.props")]
    public void Samples_that_needed_doublings_stay_correct_when_the_ladder_stops_one_level_lower()
    {
        // The property's minimality check with samples that surely need doublings: ε_init at the probe's median (ProbeSuccess
        // 0.5) leaves about half of them for later levels.
        var b = Model.Value;
        int[] forget = b.Split.Train.Take(40).ToArray();
        var options = new AdversarialOptions(new PgdOptions(Steps: 20), ProbeSuccess: 0.5, ProbeSize: 40);
        using var set = AdversarialSetBuilder.Build(b.Model, b.Data, forget, 3, options);
        var later = Enumerable.Range(0, set.Indices.Length).Where(i => set.Doublings[i] > 0).ToArray();
        Xunit.Assert.True(later.Length >= 5, $"only {later.Length} of {forget.Length} samples needed a doubling");
        Xunit.Assert.True(StayCorrectOneLevelLower(b, set, options), "a sample with k doublings was misclassified by the ladder stopped at k − 1");
        foreach (var level in later.GroupBy(i => set.Doublings[i]))
        {
            int[] samples = level.Select(i => set.Indices[i]).ToArray();
            using var replay = AdversarialSetBuilder.Ladder(b.Model, b.Data, samples, set.EpsilonInit, options with { MaxDoublings = level.Key });
            Xunit.Assert.Empty(replay.Failed);
            Xunit.Assert.All(replay.Doublings, k => Xunit.Assert.Equal(level.Key, k));
        }
    }

    [Xunit.Fact, Claim("A.Alg1.props")]
    public void An_empty_forget_set_is_refused()
    {
        var b = Model.Value;
        var e = Xunit.Assert.Throws<ArgumentException>(() => AdversarialSetBuilder.Build(b.Model, b.Data, [], 1));
        Xunit.Assert.Contains("empty", e.Message);
    }
}
