using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Amun;

/// <summary>AMUN Observation 1 and Figs. 3–5: confidence distributions, and Alg. 1's cost (App. E.1).</summary>
public class ConfidenceTests
{
    [Fact, Claim("A.Obs1"), Scale("ci")]
    public void A_retrained_model_is_as_confident_on_the_forget_set_as_on_the_test_set() =>
        Shared.Claims.Run("A.Obs1", "retrained model, forget 10%").Verify(GetType());

    [Fact, Claim("A.F5.conf-shift"), Scale("ci")]
    public void After_AMUN_forget_set_confidences_move_toward_the_test_set() =>
        Shared.Claims.Run("A.F5.conf-shift", "with D_R, forget 10%").Verify(GetType());

    [Fact, Claim("A.E1.cost"), Scale("ci")]
    public void Algorithm_1_costs_fewer_than_three_PGD_passes() =>
        Shared.Claims.Run("A.E1.cost", "forget 10% and 50%").Verify(GetType());
}
