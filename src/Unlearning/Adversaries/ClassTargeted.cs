using Unlearning.Data;

namespace Unlearning.Adversaries;

/// <summary>
/// The targeted request of Healing §5.3 (Tables 4 and 6): unlearn <c>count</c> training images of one chosen class
/// (the paper: 25 images of class 7 on MNIST, "deer" on CIFAR-10), drawn uniformly from that class without replacement.
/// The adversary sees neither the model nor its outputs.
/// </summary>
public static class ClassTargeted
{
    /// <summary><paramref name="count"/> distinct members of <paramref name="train"/> labelled <paramref name="targetClass"/>, sorted.</summary>
    public static int[] Draw(IReadOnlyList<int> train, IReadOnlyList<int> labels, int targetClass, int count, long seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the request must name at least one sample");
        var members = train.Where(i => labels[i] == targetClass).ToArray();
        if (members.Length < count)
            throw new ArgumentException($"class {targetClass} has {members.Length} training samples; cannot target {count}", nameof(targetClass));
        var order = new SeededRandom(seed, stream: 0xC1A55).Permutation(members.Length);
        return order.Take(count).Select(i => members[i]).Order().ToArray();
    }
}
