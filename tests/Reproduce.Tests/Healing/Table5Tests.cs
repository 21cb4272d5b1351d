using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 5 at ci scale: the parameter-aware request (the 25 training images of lowest logit margin) against
/// 25 random images of class 7, and healing from it with twins against 25 random backup images.
/// </summary>
public class Table5Tests
{
    [Fact, Claim("H.T5.worst25"), Scale("ci")]
    public void With_Fisher_the_worst_25_logits_hurt_more_than_25_random_images_of_one_class() =>
        Shared.Claims.Run("H.T5.worst25", "MNIST Fisher, worst 25 logits vs 25 of class 7").Verify(GetType());

    [Fact, Claim("H.T5.worst25"), Scale("ci")]
    public void With_Influence_the_worst_25_logits_hurt_more_than_25_random_images_of_one_class() =>
        Shared.Claims.Run("H.T5.worst25", "MNIST Influence, worst 25 logits vs 25 of class 7").Verify(GetType());

    [Fact, Claim("H.T5.twins-vs-random"), Scale("ci")]
    public void Twins_heal_at_least_as_well_as_random_replacements_in_most_cells() =>
        Shared.Claims.Run("H.T5.twins-vs-random", "MNIST, worst 25 logits").Verify(GetType());
}
