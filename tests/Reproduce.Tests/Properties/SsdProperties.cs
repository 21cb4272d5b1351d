using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Unlearning;
using static TorchSharp.torch;

namespace Reproduce.Tests.Properties;

/// <summary>Potion Eq. 1 (SSD dampening) on random parameters and importances, zeros and ties included.</summary>
[Scale("unit")]
public class SsdProperties
{
    public sealed record Case(float[] Theta, float[] ImportanceD, float[] ImportanceF, double Alpha, double Lambda);

    private static Gen<float> Importance =>
        Gen.Frequency((2, Gen.Constant(0f)), (8, Gen.Choose(0, 1_000_000).Select(v => v / 1000f)));

    public static Arbitrary<Case> Cases() =>
        (from n in Gen.Choose(1, 60)
         from theta in Gen.ArrayOf(Gen.Choose(-100_000, 100_000).Select(v => v / 1000f), n)
         from d in Gen.ArrayOf(Importance, n)
         from f in Gen.ArrayOf(Importance, n)
         from alpha in Gen.Elements(0.01, 0.1, 0.5, 1, 2, 10, 100)
         from lambda in Gen.Elements(0.1, 0.5, 1, 5, 10)
         select new Case(theta, d, f, alpha, lambda)).ToArbitrary();

    private static (float[] After, long Selected) Dampen(Case c, double? alpha = null)
    {
        using var scope = NewDisposeScope();
        var theta = tensor(c.Theta);
        long n = SsdDampening.Dampen(theta, tensor(c.ImportanceD), tensor(c.ImportanceF), alpha ?? c.Alpha, c.Lambda);
        return (theta.data<float>().ToArray(), n);
    }

    [Property(Arbitrary = [typeof(SsdProperties)]), Claim("P.Eq1.ssd")]
    public bool Dampening_never_increases_any_magnitude(Case c)
    {
        var (after, _) = Dampen(c);
        return after.Zip(c.Theta).All(p => Math.Abs(p.First) <= Math.Abs(p.Second));
    }

    [Property(Arbitrary = [typeof(SsdProperties)]), Claim("P.Eq1.ssd")]
    public bool Only_entries_with_forget_importance_above_alpha_times_retain_change_and_by_beta(Case c)
    {
        var (after, selected) = Dampen(c);
        long expectedSelected = 0;
        for (int i = 0; i < c.Theta.Length; i++)
        {
            float iD = c.ImportanceD[i], iF = c.ImportanceF[i];
            bool chosen = iF > (float)(iD * (float)c.Alpha);
            if (!chosen)
            {
                if (after[i] != c.Theta[i]) return false;
                continue;
            }
            expectedSelected++;
            double beta = Math.Min(c.Lambda * iD / iF, 1.0);
            if (Math.Abs(after[i] - beta * c.Theta[i]) > 1e-4 * Math.Max(1, Math.Abs(c.Theta[i]))) return false;
        }
        return selected == expectedSelected;
    }

    [Property(Arbitrary = [typeof(SsdProperties)]), Claim("P.Eq1.monotone")]
    public bool Lowering_alpha_never_shrinks_the_dampened_set(Case c)
    {
        // P.Eq1.monotone, read off what the code did, not recomputed from the formula: every entry the dampening changed at α
        // it changes at α' = α/3 too, to the same value (β does not depend on α), and it selects at least as many entries.
        var (high, selectedHigh) = Dampen(c);
        var (low, selectedLow) = Dampen(c, c.Alpha / 3);
        for (int i = 0; i < c.Theta.Length; i++)
            if (high[i] != c.Theta[i] && low[i] != high[i]) return false;
        return selectedLow >= selectedHigh;
    }

    [Xunit.Fact, Claim("P.Eq1.monotone")]
    public void A_lower_alpha_dampens_an_entry_the_higher_one_leaves()
    {
        // The property above is not vacuous: entry 1 (I_F = 5·I_D) is left at α = 10 and dampened at α = 10/3; entry 0
        // (I_F = 20·I_D) is dampened at both, by β = λ·I_D/I_F = 0.05; entry 2 (I_F < I_D) at neither.
        var c = new Case([2f, 2f, 2f], [1f, 1f, 1f], [20f, 5f, 0.5f], 10, 1);
        var (high, selectedHigh) = Dampen(c);
        var (low, selectedLow) = Dampen(c, c.Alpha / 3);
        Xunit.Assert.Equal(new[] { 0.1f, 2f, 2f }, high);
        Xunit.Assert.Equal(new[] { 0.1f, 0.4f, 2f }, low);
        Xunit.Assert.Equal((1L, 2L), (selectedHigh, selectedLow));
    }
}
