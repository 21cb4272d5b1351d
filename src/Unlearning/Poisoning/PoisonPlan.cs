using TorchSharp;
using Unlearning.Data;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Poisoning;

/// <summary>
/// Poison bookkeeping (Potion §2.1): S_m, the poisoned training samples, drawn uniformly from the whole training set
/// (the target class included) and relabelled to <see cref="TargetClass"/>; the trigger is stamped on the fly when a
/// batch is drawn (after any augmentation). <see cref="Identified"/> gives S_f ⊆ S_m, the part a defender has found.
/// </summary>
public sealed class PoisonPlan
{
    private readonly HashSet<int> _poisoned;

    private PoisonPlan(ITrigger trigger, int targetClass, int[] poisoned, long seed)
    {
        Trigger = trigger;
        TargetClass = targetClass;
        Poisoned = poisoned;
        Seed = seed;
        _poisoned = [.. poisoned];
    }

    /// <summary>The trigger.</summary>
    public ITrigger Trigger { get; }

    /// <summary>The class the backdoor redirects to (0, as in Goel et al.).</summary>
    public int TargetClass { get; }

    /// <summary>S_m: dataset indices of the poisoned training samples, sorted.</summary>
    public int[] Poisoned { get; }

    /// <summary>The seed S_m and S_f were drawn with.</summary>
    public long Seed { get; }

    /// <summary>Draws |S_m| = round(<paramref name="fraction"/>·|train|) samples uniformly from <paramref name="train"/>.</summary>
    public static PoisonPlan Draw(IReadOnlyList<int> train, double fraction, ITrigger trigger, long seed, int targetClass = 0)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "poison fraction must lie in (0, 1]");
        int count = Math.Max(1, (int)Math.Round(fraction * train.Count));
        var pool = train.ToArray();
        new SeededRandom(seed, stream: 0xB4D_0E7).Shuffle(pool);
        var chosen = pool.Take(count).Order().ToArray();
        return new PoisonPlan(trigger, targetClass, chosen, seed);
    }

    /// <summary>True when dataset index <paramref name="index"/> is in S_m.</summary>
    public bool IsPoisoned(int index) => _poisoned.Contains(index);

    /// <summary>
    /// S_f: the identified part of S_m. <paramref name="fraction"/> of |S_m| (rounded, at least one), or exactly
    /// <paramref name="count"/> samples (one-shot healing uses 1). Nested: a larger share contains every smaller one.
    /// </summary>
    public int[] Identified(double? fraction = null, int? count = null)
    {
        int n = count ?? Math.Max(1, (int)Math.Round((fraction ?? throw new ArgumentException("give a fraction or a count")) * Poisoned.Length));
        if (n < 1 || n > Poisoned.Length) throw new ArgumentOutOfRangeException(nameof(count), n, $"S_f must hold 1..{Poisoned.Length} samples");
        var order = Poisoned.ToArray();
        new SeededRandom(Seed, stream: 0x5F).Shuffle(order);
        return order.Take(n).Order().ToArray();
    }

    /// <summary>Training-time transform: samples in S_m get the trigger and the target label; others pass unchanged.</summary>
    public BatchTransform TrainingTransform() => (x, y, indices) =>
    {
        var rows = Enumerable.Range(0, indices.Length).Where(i => _poisoned.Contains(indices[i])).ToArray();
        if (rows.Length == 0) return (x, y);
        var rowIndex = tensor(rows.Select(r => (long)r).ToArray());
        var ids = rows.Select(r => indices[r]).ToArray();
        var stamped = Trigger.Apply(x.index_select(0, rowIndex), ids);
        var x2 = x.index_copy(0, rowIndex, stamped);
        var y2 = y.IndexFilled(0, rowIndex, TargetClass);
        return (x2, y2);
    };

    /// <summary>Identified-poison transform (S_f as the unlearner sees it): trigger on, label = target class.</summary>
    public BatchTransform ForgetTransform() => (x, y, indices) => (Trigger.Apply(x, indices), ScalarMath.FullLike(y, TargetClass));

    /// <summary>Evaluation transform: trigger on every image, labels stay clean (poison healed is scored against them).</summary>
    public BatchTransform TriggeredTestTransform() => (x, y, indices) => (Trigger.Apply(x, indices), y);
}
