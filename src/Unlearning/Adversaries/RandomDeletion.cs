using Unlearning.Data;

namespace Unlearning.Adversaries;

/// <summary>
/// The blind adversary of Healing §5.2: deletion requests for a uniformly random share (5%, 10%, 20%, 30%) of the
/// training set, drawn without replacement from the seed.
/// </summary>
public static class RandomDeletion
{
    /// <summary>⌊fraction · |train|⌉ distinct members of <paramref name="train"/>.</summary>
    public static int[] Draw(IReadOnlyList<int> train, double fraction, long seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the deleted share must be in (0, 1)");
        int n = (int)Math.Round(fraction * train.Count);
        if (n < 1) throw new ArgumentException($"{fraction:P1} of {train.Count} samples is no sample at all");
        var order = new SeededRandom(seed, stream: 0xDE1E7E).Permutation(train.Count);
        return order.Take(n).Select(i => train[i]).ToArray();
    }
}
