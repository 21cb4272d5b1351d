namespace Unlearning.Data;

/// <summary>
/// A small, fully specified pseudo-random generator (SplitMix64). Unlike <see cref="Random"/>, its sequence is
/// fixed by this code alone, so splits, shuffles and poison draws are identical across .NET versions and
/// machines for the same seed. Not thread-safe: give each consumer its own instance.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    /// <summary>Creates a generator; <paramref name="stream"/> derives independent sequences from one scenario seed.</summary>
    public SeededRandom(long seed, ulong stream = 0) => _state = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (stream + 0xD1B54A32D192ED03UL);

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be positive");
        ulong b = (ulong)bound;
        ulong limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % b);
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(T[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        Shuffle(p);
        return p;
    }
}
