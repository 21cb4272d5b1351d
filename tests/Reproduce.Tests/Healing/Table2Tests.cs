using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>Healing Table 2: the diagonal-Fisher update collapses the model after random deletion (the paper shows it; so do we).</summary>
public class Table2Tests
{
    [Fact, Claim("H.T2.fisher-collapse"), Scale("ci")]
    public void Fisher_forgetting_collapses_the_model_to_about_one_class() =>
        Shared.Claims.Run("H.T2.fisher-collapse", "MNIST, random 5–30%").Verify(GetType());
}
