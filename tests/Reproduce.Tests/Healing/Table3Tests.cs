using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>Healing Table 3: LiSSA influence unlearning after random deletion stays below Gold and does not improve as more is deleted.</summary>
public class Table3Tests
{
    [Fact, Claim("H.T3.influence"), Scale("ci")]
    public void Influence_unlearning_stays_below_gold_and_declines_with_the_deleted_share() =>
        Shared.Claims.Run("H.T3.influence", "MNIST, random 5–30%").Verify(GetType());
}
