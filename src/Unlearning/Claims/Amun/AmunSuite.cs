namespace Unlearning.Claims;

/// <summary>
/// The AMUN paper's claims over one <see cref="AmunFixture"/>: at ci scale on <see cref="Scenarios.AmunScenario.Ci"/>
/// (embedded Fashion-MNIST standing in for CIFAR-10, SmallCnn for ResNet-18, 8 RMIA reference models for 128), at paper
/// scale on <see cref="Scenarios.AmunScenario.Paper"/>.
/// </summary>
public sealed class AmunSuite(AmunFixture fixture) : IClaimSuite
{
    /// <inheritdoc />
    public string Paper => "AMUN";

    /// <inheritdoc />
    public IReadOnlyList<IClaimGroup> Groups { get; } =
    [
        new AmunObservation1(fixture), new AmunTables1And2(fixture), new AmunTables10And11(fixture), new AmunFigure1(fixture),
        new AmunTables8And9(fixture), new AmunFigure2(fixture), new AmunFigure5(fixture), new AmunCost(fixture), new AmunTable3(fixture),
    ];
}
