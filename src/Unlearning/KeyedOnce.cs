using System.Collections.Concurrent;

namespace Unlearning;

/// <summary>
/// A thread-safe compute-once map: the first caller of a key computes its value while later callers of that key wait for
/// it, and callers of other keys compute theirs at the same time. This is how a fixture shares trained state between
/// tests that run in parallel lanes without one lane's long computation blocking another lane's unrelated one. A computation
/// that throws leaves no entry (its waiters see the exception, the next caller tries again).
/// </summary>
public sealed class KeyedOnce<TKey, TValue> where TKey : notnull
{
    private sealed class Entry
    {
        public int Claimed;
        public readonly TaskCompletionSource<TValue> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly ConcurrentDictionary<TKey, Entry> _entries;

    /// <summary>Creates an empty map comparing keys with <paramref name="comparer"/> (the default comparer when null).</summary>
    public KeyedOnce(IEqualityComparer<TKey>? comparer = null) => _entries = new(comparer ?? EqualityComparer<TKey>.Default);

    /// <summary>The value of <paramref name="key"/>, computed by <paramref name="compute"/> on the first call.</summary>
    public TValue Get(TKey key, Func<TValue> compute)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        return TryClaim(entry) ? Compute(key, entry, compute) : entry.Done.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The values of <paramref name="keys"/>, in order: this caller first computes every key nobody has started, then waits for
    /// the ones other callers are computing — so two callers of the same keys share the work instead of one waiting for all.
    /// </summary>
    public TValue[] GetAll(IReadOnlyList<TKey> keys, Func<TKey, TValue> compute)
    {
        var entries = keys.Select(k => _entries.GetOrAdd(k, _ => new Entry())).ToArray();
        for (int i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (TryClaim(entries[i])) Compute(key, entries[i], () => compute(key));
        }
        return keys.Select((k, i) => Get(k, () => compute(k))).ToArray();
    }

    /// <summary>The values computed so far (for disposal).</summary>
    public IEnumerable<TValue> Computed => _entries.Values.Where(e => e.Done.Task.IsCompletedSuccessfully).Select(e => e.Done.Task.Result);

    private static bool TryClaim(Entry entry) => Interlocked.Exchange(ref entry.Claimed, 1) == 0;

    private TValue Compute(TKey key, Entry entry, Func<TValue> compute)
    {
        try
        {
            var value = compute();
            entry.Done.SetResult(value);
            return value;
        }
        catch (Exception e)
        {
            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            entry.Done.SetException(e);
            throw;
        }
    }
}
