namespace Unlearning.Claims;

/// <summary>
/// The Potion paper's claims over one <see cref="PotionFixture"/>. At paper scale on <see cref="Scenarios.PoisonScenario.Paper"/>
/// (CIFAR-10, ResNet-9, |S_m| = 1,000, every trigger); otherwise at ci scale: embedded MNIST (7,200 train / 2,000 test /
/// 800 validation), SmallCnn (border-keeping poolings) trained 10 epochs, every trigger at 2%
/// (<see cref="Scenarios.PoisonScenario.CiFraction"/>); PTN (ρ 0.2, b_start 25, s_step 1.1) with XLF / LF / SSD importances
/// at batch 512, the Goel grid SSD, EU and None.
/// </summary>
public sealed class PotionSuite(PotionFixture fixture) : IClaimSuite
{
    /// <inheritdoc />
    public string Paper => "Potion";

    /// <inheritdoc />
    public IReadOnlyList<IClaimGroup> Groups { get; } =
    [
        new PotionTable1(fixture), new PotionTable9(fixture), new PotionTable8(fixture), new PotionFigure8(fixture),
        new PotionFigure6(fixture), new PotionPoisonTypes(fixture),
    ];
}
