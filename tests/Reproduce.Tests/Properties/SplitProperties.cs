using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Data;

namespace Reproduce.Tests.Properties;

/// <summary>Split bookkeeping invariants over random label vectors, fractions and seeds.</summary>
[Scale("unit")]
public class SplitProperties
{
    public sealed record Case(int[] Labels, SplitSpec Spec, long Seed, bool OfficialTest);

    public static Arbitrary<Case> Cases() =>
        (from n in Gen.Choose(1, 400)
         from classes in Gen.Choose(1, 10)
         from labels in Gen.ArrayOf(Gen.Choose(0, classes - 1), n)
         from test in Gen.Choose(0, 90)
         from spare in Gen.Choose(0, 90)
         from forget in Gen.Choose(0, 100)
         from maxTrain in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(1, 300).Select(v => (int?)v))
         from seed in Gen.Choose(0, int.MaxValue).Select(v => (long)v)
         from official in Gen.Elements(false, true)
         select new Case(labels, new SplitSpec(test / 100.0, spare / 100.0, forget / 100.0, maxTrain), seed, official)).ToArbitrary();

    private static DataSplit Run(Case c)
    {
        int[]? official = c.OfficialTest ? Enumerable.Range(0, c.Labels.Length).Where(i => i % 5 == 0).ToArray() : null;
        return Splitter.Split(c.Labels, c.Spec, c.Seed, official);
    }

    [Property(Arbitrary = [typeof(SplitProperties)], MaxTest = 200)]
    public bool Parts_are_disjoint_and_cover_every_index(Case c)
    {
        var s = Run(c);
        var all = s.Test.Concat(s.Spare).Concat(s.Train).Concat(s.Unused).ToList();
        return all.Count == c.Labels.Length && all.Distinct().Count() == c.Labels.Length && all.All(i => i >= 0 && i < c.Labels.Length);
    }

    [Property(Arbitrary = [typeof(SplitProperties)], MaxTest = 200)]
    public bool Train_is_exactly_retain_plus_forget(Case c)
    {
        var s = Run(c);
        return s.Forget.Intersect(s.Retain).Count() == 0 && s.Forget.Concat(s.Retain).Order().SequenceEqual(s.Train)
               && s.Forget.Length == (int)Math.Round(c.Spec.ForgetFraction * s.Train.Length);
    }

    [Property(Arbitrary = [typeof(SplitProperties)], MaxTest = 200)]
    public bool Same_seed_gives_the_same_split(Case c)
    {
        var a = Run(c);
        var b = Run(c);
        return a.Train.SequenceEqual(b.Train) && a.Test.SequenceEqual(b.Test) && a.Forget.SequenceEqual(b.Forget) && a.Spare.SequenceEqual(b.Spare);
    }

    [Property(Arbitrary = [typeof(SplitProperties)], MaxTest = 200)]
    public bool Forget_set_is_class_balanced(Case c)
    {
        // Stratified: each class's share of D_F is its share of the training set, to within one sample (rounding).
        var s = Run(c);
        if (s.Train.Length == 0) return s.Forget.Length == 0;
        double f = (double)s.Forget.Length / s.Train.Length;
        return s.Train.GroupBy(i => c.Labels[i]).All(g =>
        {
            int inForget = s.Forget.Count(i => c.Labels[i] == g.Key);
            return Math.Abs(inForget - f * g.Count()) < 1.0 + 1e-9;
        });
    }

    [Property(MaxTest = 100)]
    public bool WithForget_refuses_non_members(PositiveInt seed)
    {
        int[] labels = Enumerable.Range(0, 100).Select(i => i % 10).ToArray();
        var s = Splitter.Split(labels, new SplitSpec(0.2, ForgetFraction: 0.1), seed.Get);
        try { s.WithForget([s.Test[0]]); return false; }
        catch (ArgumentException e) { return e.Message.Contains("not a training sample"); }
    }
}
