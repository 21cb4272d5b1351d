namespace Unlearning.Claims;

/// <summary>The Healing paper's claims: its tables and figures over one <see cref="HealingFixture"/>.</summary>
public sealed class HealingSuite(HealingFixture fixture) : IClaimSuite
{
    /// <inheritdoc />
    public string Paper => "Healing";

    /// <inheritdoc />
    public IReadOnlyList<IClaimGroup> Groups { get; } =
    [
        new HealingTable1(fixture), new HealingFigure1(fixture), new HealingFigure2(fixture), new HealingTable2(fixture),
        new HealingTable3(fixture), new HealingTable4(fixture), new HealingTable5(fixture), new HealingTable6(fixture),
    ];
}
