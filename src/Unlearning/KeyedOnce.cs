using System.Collections.Concurrent;

namespace Unlearning;

/// <summary>
/// A thread-safe compute-once map: the first caller of a key computes its value while later callers of that key wait for
/// it, and callers of other keys compute theirs at the same time. This is how a fixture shares trained state between
/// tests that run in parallel lanes without one lane's long computation blocking another lane's unrelated one. A computation
/// that throws leaves no entry, so the next caller tries again.
/// </summary>
public sealed class KeyedOnce<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<TValue>> _values;

    /// <summary>Creates an empty map comparing keys with <paramref name="comparer"/> (the default comparer when null).</summary>
    public KeyedOnce(IEqualityComparer<TKey>? comparer = null) => _values = new(comparer ?? EqualityComparer<TKey>.Default);

    /// <summary>The value of <paramref name="key"/>, computed by <paramref name="compute"/> on the first call.</summary>
    public TValue Get(TKey key, Func<TValue> compute)
    {
        var lazy = _values.GetOrAdd(key, _ => new Lazy<TValue>(compute, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _values.TryRemove(new KeyValuePair<TKey, Lazy<TValue>>(key, lazy));
            throw;
        }
    }

    /// <summary>The values computed so far (for disposal).</summary>
    public IEnumerable<TValue> Computed => _values.Values.Where(l => l.IsValueCreated).Select(l => l.Value);
}
