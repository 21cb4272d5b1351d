using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 6 at ci scale: mean ± std of the test accuracy over 5 Fisher and 5 Influence runs unlearning 25 images of
/// class 7, and the worst 25 logits. A value claim: pinned and shown beside the paper's numbers.
/// </summary>
public class Table6Tests
{
    public static TheoryData<string> Rows => ClaimRuns.Variants("H.T6.mean-std");

    [Theory, Claim("H.T6.mean-std"), Scale("ci")]
    [MemberData(nameof(Rows))]
    public void Mean_and_std_of_five_unlearning_runs(string variant) =>
        Shared.Claims.Run("H.T6.mean-std", variant).Verify(GetType());
}
