using Reproduce.Tests.Support;
using Unlearning;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>The fixtures' compute-once map: one computation per key across threads, shared lists split between callers, failures retried.</summary>
[Scale("unit")]
public class KeyedOnceTests
{
    [Fact]
    public void Concurrent_callers_of_one_key_get_one_computation()
    {
        var once = new KeyedOnce<string, int>();
        int computed = 0;
        var values = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => once.Get("k", () => { Interlocked.Increment(ref computed); Thread.Sleep(50); return 42; })).ToArray();
        Assert.Equal(1, computed);
        Assert.All(values, v => Assert.Equal(42, v));
    }

    [Fact]
    public async Task Two_callers_of_one_list_share_its_items_and_both_get_all_of_them_in_order()
    {
        var once = new KeyedOnce<int, int>();
        var byThread = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        int[] keys = [.. Enumerable.Range(0, 10)];
        using var bothStarted = new CountdownEvent(2);
        int[] Caller()
        {
            bothStarted.Signal();
            bothStarted.Wait();
            return once.GetAll(keys, k =>
            {
                byThread.AddOrUpdate(Environment.CurrentManagedThreadId, 1, (_, n) => n + 1);
                Thread.Sleep(100);
                return k * k;
            });
        }
        var a = Task.Factory.StartNew(Caller, TaskCreationOptions.LongRunning);
        var b = Task.Factory.StartNew(Caller, TaskCreationOptions.LongRunning);
        var results = await Task.WhenAll(a, b);
        Assert.All(results, r => Assert.Equal(keys.Select(k => k * k), r));
        Assert.Equal(10, byThread.Values.Sum());
        Assert.Equal(2, byThread.Count);
    }

    [Fact]
    public void A_computation_that_throws_leaves_no_entry_and_the_next_caller_computes_again()
    {
        var once = new KeyedOnce<string, int>();
        Assert.Throws<InvalidOperationException>(() => once.Get("k", () => throw new InvalidOperationException("first try")));
        Assert.Equal(7, once.Get("k", () => 7));
        Assert.Equal([7], once.Computed);
    }
}
