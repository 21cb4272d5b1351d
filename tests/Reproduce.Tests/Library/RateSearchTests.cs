using Reproduce.Tests.Support;
using Unlearning.Scenarios;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>The learning-rate search of the AMUN suite: coarse grid, refinement around the best inside the grid's range, divergence.</summary>
[Scale("unit")]
public class RateSearchTests
{
    [Fact]
    public void Refinement_around_the_coarse_best_can_win()
    {
        var tried = new List<double>();
        // A score with its minimum at 3e-2, between two coarse rates.
        double best = new RateSearch([1e-4, 1e-3, 1e-2, 1e-1], Refine: 3).Best(lr => { tried.Add(lr); return Math.Abs(Math.Log10(lr) - Math.Log10(3e-2)); });
        Assert.Equal(3e-2, best, 12);
        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1, 1e-2 / 3, 1e-2 * 3], tried);
    }

    [Fact]
    public void Refinement_stays_inside_the_coarse_range_and_tries_each_rate_once()
    {
        var tried = new List<double>();
        double best = new RateSearch([1e-3, 1e-2, 1e-1], Refine: 3).Best(lr => { tried.Add(lr); return -lr; });
        Assert.Equal(1e-1, best);
        Assert.Equal([1e-3, 1e-2, 1e-1, 1e-1 / 3], tried);
        Assert.Equal(tried.Count, tried.Distinct().Count());
    }

    [Fact]
    public void Without_refinement_only_the_grid_is_tried_and_ties_keep_the_first()
    {
        var tried = new List<double>();
        double best = new RateSearch([1e-2, 3e-2, 1e-1]).Best(lr => { tried.Add(lr); return 1.0; });
        Assert.Equal(1e-2, best);
        Assert.Equal([1e-2, 3e-2, 1e-1], tried);
    }

    [Fact]
    public void Diverged_candidates_are_skipped_and_all_diverged_gives_NaN()
    {
        Assert.Equal(1e-3, new RateSearch([1e-3, 1e-2, 1e-1], Refine: 3).Best(lr => lr > 2e-3 ? null : 5.0), 12);
        Assert.True(double.IsNaN(new RateSearch([1e-3, 1e-2], Refine: 3).Best(_ => null)));
        Assert.True(double.IsNaN(new RateSearch([1e-3]).Best(_ => double.NaN)));
    }
}
