using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>The lanes' start order: the heaviest classes are found by the display names xunit gives their collections.</summary>
[Scale("unit")]
public class LaneOrderTests
{
    [Theory]
    [InlineData("Test collection for Reproduce.Tests.Healing.Figure2Tests (id: 0f3a9c)", 0)]
    [InlineData("Test collection for Reproduce.Tests.Amun.Table3Tests (id: 77)", 2)]
    [InlineData("Test collection for Reproduce.Tests.Healing.Figure2Tests", 0)]
    public void A_heavy_class_is_ranked_by_its_place_in_the_list(string collection, int rank) =>
        Assert.Equal(rank, HeaviestFirst.Rank(collection));

    [Theory]
    [InlineData("Test collection for Reproduce.Tests.Amun.Table3TestsOfSomethingElse (id: 1)")]
    [InlineData("Test collection for Reproduce.Tests.Library.ScenarioTests (id: 2)")]
    [InlineData("Serial")]
    public void Any_other_class_comes_after_every_heavy_one(string collection) =>
        Assert.True(HeaviestFirst.Rank(collection) > HeaviestFirst.Rank("Test collection for Reproduce.Tests.Healing.Table2Tests (id: 3)"));
}
