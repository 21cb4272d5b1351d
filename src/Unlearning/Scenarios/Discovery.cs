namespace Unlearning.Scenarios;

/// <summary>How much of the poison a defender has identified: a share of S_m, or an exact count (one-shot healing: 1).</summary>
public sealed record Discovery(string Name, double? Fraction = null, int? Count = null)
{
    /// <summary>S_f = 1 sample (Potion's one-shot healing).</summary>
    public static readonly Discovery OneShot = new("S_f=1", Count: 1);

    /// <summary>A share of S_m, named "S_f=10%" whatever the culture (the name is part of snapshot file names).</summary>
    public static Discovery Share(double fraction) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"S_f={fraction:P0}").Replace(" ", ""), Fraction: fraction);

    /// <summary>S_f for this discovery under a poison plan.</summary>
    public int[] Identify(Poisoning.PoisonPlan plan) => plan.Identified(Fraction, Count);

    /// <inheritdoc />
    public override string ToString() => Name;
}
