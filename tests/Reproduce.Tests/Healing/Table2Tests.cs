using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 2: the diagonal-Fisher update collapses the model after random deletion, and (§5.2) stays collapsed whatever
/// σ, ε, the Fisher's sample count, the noise's form or the clipping bound.
/// </summary>
public class Table2Tests
{
    [Fact, Claim("H.T2.fisher-collapse"), Scale("ci")]
    public void Fisher_forgetting_collapses_the_model_to_about_one_class() =>
        Shared.Claims.Run("H.T2.fisher-collapse", "MNIST, random 5–30%").Verify(GetType());

    [Theory, Claim("H.T2.fisher-collapse"), Scale("ci")]
    [InlineData("MNIST 5%, one factor at a time")]
    [InlineData("MNIST 5%, clipping bound")]
    public void Fisher_forgetting_stays_collapsed_across_its_settings(string variant) =>
        Shared.Claims.Run("H.T2.fisher-collapse", variant).Verify(GetType());
}
