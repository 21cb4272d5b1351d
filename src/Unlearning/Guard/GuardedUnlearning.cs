using Unlearning.Healing;
using Unlearning.Unlearning;

namespace Unlearning.Guard;

/// <summary>What a guarded request produced: the decision, and for an accepted one the unlearned model and the spares chosen to heal with.</summary>
public sealed record GuardedOutcome(GuardDecision Decision, UnlearningResult? Result, IReadOnlyList<TwinMatch> Replacements);

/// <summary>
/// Routes requests through an <see cref="UnlearningGuard"/> to one unlearner: a refused request never reaches the
/// unlearner (the model is untouched); an accepted one is unlearned from <c>current</c> with D_F = the resolved samples and
/// D_r = what remains of the training set, and — when a <see cref="SpareSet"/> is given — each removed sample is paired with
/// a replacement by Healing Alg. 1, to be fine-tuned on with <see cref="HealingFineTune"/>.
/// </summary>
public sealed class GuardedUnlearning(UnlearningGuard guard, IUnlearner unlearner, SpareSet? spares = null)
{
    /// <summary>Handles one request; <paramref name="current"/> supplies the model, data, training settings and seed (its sets are replaced).</summary>
    public GuardedOutcome Handle(string requester, IReadOnlyList<string> hashes, UnlearningRequest current)
    {
        var decision = guard.Submit(requester, hashes, unlearner.Name);
        if (decision is not Accepted accepted) return new GuardedOutcome(decision, null, []);
        var request = current with { Forget = accepted.Request.Indices, Retain = guard.Remaining };
        var result = unlearner.Unlearn(request);
        var replacements = spares == null ? [] : accepted.Request.Indices.Select(i => Twins.Take(spares, i)).ToArray();
        return new GuardedOutcome(decision, result, replacements);
    }
}
