using Unlearning;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Reproduce.Tests.Support;

/// <summary>
/// What all tests share in one test process: the data catalog (datasets load once), the model cache (a base
/// model trained by one test is loaded, verified, by the next), the scale chosen by runsettings, and the claim suites
/// whose trained models every theory of a paper shares.
/// </summary>
public static class Shared
{
    private static readonly Lazy<DataCatalog> Catalog_ = new(() => new DataCatalog(DataOptions.Resolve()));

    /// <summary>The scale of this run (REPRO_SCALE; runsettings.xml sets ci).</summary>
    public static Scale Scale => ScaleSetting.FromEnvironment();

    /// <summary>The scale profile of this run.</summary>
    public static ScaleProfile Profile => ScaleProfile.For(Scale);

    /// <summary>The shared data catalog.</summary>
    public static DataCatalog Catalog => Catalog_.Value;

    /// <summary>A runner over the shared catalog and the default model cache.</summary>
    public static ScenarioRunner Runner { get; } = new(Catalog_.Value, ModelCache.Default(), TorchRuntime.ResolveDevice());

    /// <summary>The Potion fixture of this process (poisoned models and unlearning rows shared by all its theories).</summary>
    public static PotionFixture Potion { get; } = new(Runner, Profile, Console.WriteLine);

    /// <summary>The Healing fixture of this process.</summary>
    public static HealingFixture Healing { get; } = new(Runner, Profile, Console.WriteLine);

    /// <summary>The AMUN fixture of this process (original, reference and retrained models, adversarial sets, tuned rates).</summary>
    public static AmunFixture Amun { get; } = new(Runner, Profile, Console.WriteLine);

    /// <summary>Every claim variant of this build — the same registry <c>reproduce run</c> uses.</summary>
    public static ClaimRegistry Claims { get; } = new([new HealingSuite(Healing), new PotionSuite(Potion), new AmunSuite(Amun)], Profile.Name);
}
