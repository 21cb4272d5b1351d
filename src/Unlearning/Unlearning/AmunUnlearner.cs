using System.Diagnostics;
using TorchSharp;
using Unlearning.Attacks;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>Which of AMUN's fine-tuning sets to use (AMUN §4).</summary>
public enum AmunData
{
    /// <summary>With D_R: D_R ∪ D_F ∪ D_A (Table 1); without: D_F ∪ D_A (Table 2).</summary>
    WithForget,
    /// <summary>The variant for large forget sets: D_R ∪ D_A with D_R, D_A alone without.</summary>
    AdversarialOnly,
}

/// <summary>
/// AMUN (Ebrahimpour-Boroojeny et al., §4): build D_A with Alg. 1 (<see cref="AdversarialSetBuilder"/>) on the model being
/// unlearned, then fine-tune on D_R ∪ D_F ∪ D_A when D_R is available (<paramref name="useRetain"/>) or D_F ∪ D_A when it
/// is not. With <paramref name="saliencyRatio"/> set, updates are restricted to SalUn's salient weights (AMUN+SalUn,
/// App. D). <paramref name="adversarialSource"/> supplies D_A instead of running Alg. 1 here (a cache of sets computed
/// on this model, or sets from another model: the transferred variant, App. F.4); the caller keeps ownership of those.
/// </summary>
public sealed class AmunUnlearner(
    FineTuneOptions options,
    bool useRetain,
    AdversarialOptions? adversarial = null,
    double? saliencyRatio = null,
    AmunData data = AmunData.WithForget,
    Func<UnlearningRequest, AdversarialSet>? adversarialSource = null) : IUnlearner
{
    /// <inheritdoc />
    public string Name => saliencyRatio is null ? "AMUN" : "AMUN+SalUn";

    private bool _ownsLast;

    /// <summary>The adversarial set of the last run's request (kept for figures: final ε histogram, Fig. 4).</summary>
    public AdversarialSet? LastAdversarialSet { get; private set; }

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        if (_ownsLast) LastAdversarialSet?.Dispose();
        _ownsLast = adversarialSource is null;
        var set = adversarialSource?.Invoke(r) ?? AdversarialSetBuilder.Build(model, r.Data, r.Forget, r.Seed, adversarial, device);
        if (!set.Requested.SequenceEqual(r.Forget))
            throw new ArgumentException($"{Name}: the adversarial set was built for another forget set ({set.Requested.Length} vs {r.Forget.Length} samples)");
        LastAdversarialSet = set;
        var mask = saliencyRatio is { } ratio ? SaliencyMask.Compute(model, r.Data, r.Forget, ratio, device, limits: options.Limits) : null;
        try
        {
            using var adv = new TuneBlock("D_A", set.Images.cpu().clone(), tensor(set.Labels, dtype: ScalarType.Int64));
            using var forget = data == AmunData.WithForget ? TuneBlock.FromData("D_F", r.Data, r.Forget) : null;
            using var retain = useRetain ? TuneBlock.FromData("D_R", r.Data, r.Retain) : null;
            var blocks = new List<TuneBlock>();
            if (retain != null) blocks.Add(retain);
            if (forget != null) blocks.Add(forget);
            blocks.Add(adv);
            FineTuning.Run(Name, model, [blocks], options, r.Seed, r.Data.NumClasses, device, new FineTuneHooks { GradientMask = mask });
        }
        finally
        {
            if (mask != null) foreach (var m in mask.Values) m.Dispose();
        }
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
        {
            ["lr"] = options.LearningRate,
            ["epsilon_init"] = set.EpsilonInit,
            ["median_epsilon"] = set.Epsilon.Order().ElementAt(set.Epsilon.Length / 2),
            ["median_distance"] = set.Distance.Order().ElementAt(set.Distance.Length / 2),
            ["attack_passes"] = set.PassEquivalents,
            ["attack_seconds"] = set.Seconds,
            ["attack_failed"] = set.Failed.Length,
        });
    }
}
