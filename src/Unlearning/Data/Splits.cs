namespace Unlearning.Data;

/// <summary>
/// How a dataset is cut into train / test / forget / retain / spare. All fractions are stratified by class.
/// </summary>
/// <param name="TestFraction">Share of a single-pool dataset held out as test (ignored when the dataset has an official test split).</param>
/// <param name="SpareFraction">Share of the non-test pool set aside as the spare set D_S (Healing: the 30% backup), never trained on.</param>
/// <param name="ForgetFraction">Share of the training set drawn as the forget set D_F (0 for none).</param>
/// <param name="MaxTrain">Optional cap on the training set (class-balanced subsample); the rest is <see cref="DataSplit.Unused"/>.</param>
/// <param name="MaxTest">Optional cap on the test set (class-balanced subsample).</param>
public sealed record SplitSpec(double TestFraction = 0.2, double SpareFraction = 0.0, double ForgetFraction = 0.0, int? MaxTrain = null, int? MaxTest = null)
{
    /// <summary>Validates the fractions; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public SplitSpec Validate()
    {
        static void Check(double v, string name, bool allowOne)
        {
            if (double.IsNaN(v) || v < 0 || v > 1 || (!allowOne && v >= 1))
                throw new ArgumentException($"{name} = {v} must lie in [0, 1{(allowOne ? "]" : ")")}", name);
        }
        Check(TestFraction, nameof(TestFraction), false);
        Check(SpareFraction, nameof(SpareFraction), false);
        Check(ForgetFraction, nameof(ForgetFraction), true);
        if (MaxTrain is <= 0) throw new ArgumentException($"MaxTrain = {MaxTrain} must be positive", nameof(MaxTrain));
        if (MaxTest is <= 0) throw new ArgumentException($"MaxTest = {MaxTest} must be positive", nameof(MaxTest));
        return this;
    }
}

/// <summary>
/// Index bookkeeping of one scenario: every index of the dataset is in exactly one of Test, Spare, Train, Unused,
/// and Train is exactly Retain ∪ Forget (disjoint). Arrays are sorted ascending.
/// </summary>
public sealed record DataSplit(int[] Train, int[] Test, int[] Forget, int[] Retain, int[] Spare, int[] Unused)
{
    /// <summary>Replaces the forget set (e.g. an adversary's choice); it must be a subset of Train.</summary>
    public DataSplit WithForget(IEnumerable<int> forget)
    {
        var f = forget.Distinct().Order().ToArray();
        var train = new HashSet<int>(Train);
        int outside = Array.FindIndex(f, i => !train.Contains(i));
        if (outside >= 0)
            throw new ArgumentException($"forget set contains index {f[outside]}, which is not a training sample (non-members cannot be unlearned)", nameof(forget));
        var fs = new HashSet<int>(f);
        return this with { Forget = f, Retain = Train.Where(i => !fs.Contains(i)).ToArray() };
    }
}

/// <summary>Seeded, class-balanced splitting (see <see cref="SplitSpec"/>).</summary>
public static class Splitter
{
    /// <summary>Cuts a dataset of the given labels into a <see cref="DataSplit"/>; the same seed gives the same split.</summary>
    public static DataSplit Split(IReadOnlyList<int> labels, SplitSpec spec, long seed, IReadOnlyList<int>? officialTest = null)
    {
        spec.Validate();
        var rng = new SeededRandom(seed, stream: 0x5EED_5971);
        int n = labels.Count;
        int[] test, pool;
        if (officialTest != null)
        {
            var testSet = new HashSet<int>(officialTest);
            pool = Enumerable.Range(0, n).Where(i => !testSet.Contains(i)).ToArray();
            test = officialTest.ToArray();
        }
        else
        {
            var all = Enumerable.Range(0, n).ToArray();
            (test, pool) = Take(all, labels, (int)Math.Round(spec.TestFraction * n), rng);
        }
        var unused = new List<int>();
        if (spec.MaxTest is int maxTest && test.Length > maxTest)
        {
            var (kept, rest) = Take(test, labels, maxTest, rng);
            test = kept;
            unused.AddRange(rest);
        }
        var (spare, train) = Take(pool, labels, (int)Math.Round(spec.SpareFraction * pool.Length), rng);
        if (spec.MaxTrain is int maxTrain && train.Length > maxTrain)
        {
            var (kept, rest) = Take(train, labels, maxTrain, rng);
            train = kept;
            unused.AddRange(rest);
        }
        var (forget, retain) = Take(train, labels, (int)Math.Round(spec.ForgetFraction * train.Length), rng);
        return new DataSplit(Sorted(train), Sorted(test), Sorted(forget), Sorted(retain), Sorted(spare), Sorted(unused.ToArray()));
    }

    /// <summary>
    /// Draws <paramref name="count"/> of <paramref name="from"/>, stratified by class: each class contributes in
    /// proportion to its size (largest-remainder rounding, so the total is exact). Returns (taken, remaining).
    /// </summary>
    public static (int[] Taken, int[] Remaining) Take(int[] from, IReadOnlyList<int> labels, int count, SeededRandom rng)
    {
        if (count < 0 || count > from.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"cannot take {count} of {from.Length}");
        var groups = from.GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Order().ToArray()).ToArray();
        foreach (var g in groups) rng.Shuffle(g);
        var quotas = new int[groups.Length];
        var remainders = new double[groups.Length];
        for (int c = 0; c < groups.Length; c++)
        {
            double exact = (double)count * groups[c].Length / Math.Max(1, from.Length);
            quotas[c] = (int)Math.Floor(exact);
            remainders[c] = exact - quotas[c];
        }
        int missing = count - quotas.Sum();
        foreach (int c in Enumerable.Range(0, groups.Length).OrderByDescending(c => remainders[c]).ThenBy(c => c).Take(missing))
            quotas[c]++;
        var taken = new List<int>(count);
        var rest = new List<int>(from.Length - count);
        for (int c = 0; c < groups.Length; c++)
        {
            taken.AddRange(groups[c].Take(quotas[c]));
            rest.AddRange(groups[c].Skip(quotas[c]));
        }
        return (taken.ToArray(), rest.ToArray());
    }

    private static int[] Sorted(int[] a) { Array.Sort(a); return a; }
}
