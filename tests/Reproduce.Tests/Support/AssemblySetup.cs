using Reproduce.Tests.Support;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

// Test classes run in parallel lanes, one per core (MaxThreads 0 = the processor count), and runsettings.xml gives torch one
// intra-op thread per lane (REPRO_THREADS=1). On the 2-core machine two 1-thread trainings side by side process ≈ 1.5× the
// images of one 2-thread training, and every value is a 1-thread value however many lanes run, so the pins do not depend on
// the lane count. Determinism holds across lanes: code that seeds torch's global generator holds TorchRuntime.GlobalRngGate,
// and fixtures compute shared state once per key (KeyedOnce). Tests that measure the process (resident memory) or draw from
// the global generator without the gate run alone, in the Serial collection.
[assembly: Parallelization(Mode = ParallelMode.Collections, MaxThreads = 0)]
[assembly: TestCollectionOrderer(typeof(HeaviestFirst))]

namespace Reproduce.Tests.Support;

/// <summary>Tests that run alone, after the parallel lanes: they measure the process or use torch's global generator directly.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serial";
}

/// <summary>
/// Starts the test classes that train the most first (longest-first scheduling of the lanes), so that no lane starts a long
/// class when the others are nearly done; the rest follow in name order. The list is what a clean-clone run spends per
/// class, longest first: Fig. 2's ten runs, and Fig. 1's claims beside them (its claim over the runs takes the runs the other lane has
/// not started, so the two lanes share them), then AMUN's 1-Lipschitz models; a class missing from the list only starts later.
/// </summary>
public sealed class HeaviestFirst : ITestCollectionOrderer
{
    private static readonly string[] Heaviest =
    [
        "Reproduce.Tests.Healing.Figure2Tests",
        "Reproduce.Tests.Healing.Figure1Tests",
        "Reproduce.Tests.Amun.Table3Tests",
        "Reproduce.Tests.Amun.AblationTests",
        "Reproduce.Tests.Amun.Table1Tests",
        "Reproduce.Tests.Healing.Table6Tests",
        "Reproduce.Tests.Library.ControlTests",
        "Reproduce.Tests.Amun.ContinuousTests",
        "Reproduce.Tests.Potion.PoisonTypesTests",
        "Reproduce.Tests.Potion.Table1Tests",
        "Reproduce.Tests.Potion.Figure6Tests",
        "Reproduce.Tests.Healing.Table2Tests",
    ];

    /// <inheritdoc />
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        testCollections.OrderBy(c => Rank(c.TestCollectionDisplayName)).ThenBy(c => c.TestCollectionDisplayName, StringComparer.Ordinal).ToArray();

    /// <summary>The class's place in <see cref="Heaviest"/> (its length when absent) from a collection's display name.</summary>
    public static int Rank(string collection)
    {
        // A class's own collection is displayed as "Test collection for <full name>", followed by " (id: …)".
        for (int i = 0; i < Heaviest.Length; i++)
        {
            int at = collection.IndexOf(Heaviest[i], StringComparison.Ordinal);
            int end = at + Heaviest[i].Length;
            if (at >= 0 && (end == collection.Length || collection[end] == ' ')) return i;
        }
        return Heaviest.Length;
    }
}
