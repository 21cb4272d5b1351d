using Unlearning.Data;
using Unlearning.Scenarios;

namespace Unlearning.Guard;

/// <summary>
/// Per-requester budgets, in samples over the log's lifetime: <see cref="Budgets"/> names requesters with their own,
/// everyone else has <see cref="DefaultBudget"/>.
/// </summary>
public sealed record GuardPolicy(int DefaultBudget, IReadOnlyDictionary<string, int>? Budgets = null)
{
    /// <summary>The budget of <paramref name="requester"/>.</summary>
    public int BudgetOf(string requester) => Budgets != null && Budgets.TryGetValue(requester, out int b) ? b : DefaultBudget;
}

/// <summary>What the guard decided about one request.</summary>
public abstract record GuardDecision(string Requester);

/// <summary>Accepted and logged: <see cref="Request"/> holds the resolved training indices.</summary>
public sealed record Accepted(LoggedRequest Request) : GuardDecision(Request.Requester);

/// <summary>Refused, with the reason; nothing was logged and no state changed.</summary>
public sealed record Refused(string Requester, string Reason) : GuardDecision(Requester);

/// <summary>
/// The unlearning-request guard (the safeguard the Healing paper's §2 asks for against "unlearn and burn" requests for
/// samples that were never trained on). A request names samples by <see cref="ContentHash"/>. It is refused — with a
/// reason, changing nothing — when it is empty, names a malformed hash or one twice, names a non-member of the training
/// set or a sample already unlearned, or would take its requester over budget. An accepted request is appended to the
/// <see cref="RequestLog"/> (flushed to disk) before it is reported accepted; reopening the guard replays the log, so
/// budgets and the unlearned set survive a crash. The guard is bound to one dataset and training set through the log's
/// identity (the dataset's content hash and the training set's index hash).
/// </summary>
public sealed class UnlearningGuard
{
    private readonly Dictionary<string, int[]> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _unlearned = new(); // training index → sequence of the request that removed it
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly RequestLog _log;
    private readonly GuardPolicy _policy;
    private readonly int[] _train;

    private UnlearningGuard(RequestLog log, IReadOnlyList<int> train, string[] hashes, GuardPolicy policy)
    {
        _log = log;
        _policy = policy;
        _train = train.ToArray();
        for (int i = 0; i < _train.Length; i++)
        {
            string h = hashes[i];
            _members[h] = _members.TryGetValue(h, out var known) ? [.. known, _train[i]] : [_train[i]];
        }
        foreach (var r in log.Records) Apply(r);
    }

    /// <summary>The log's identity for a dataset and training set.</summary>
    public static string IdentityOf(ImageDataset data, IReadOnlyList<int> train) => $"dataset={data.ContentSha256} train={Scenario.IndexHash(train)}";

    /// <summary>Opens the guard of <paramref name="train"/> ⊂ <paramref name="data"/> with its log at <paramref name="logPath"/> (replayed if it exists).</summary>
    public static UnlearningGuard Open(string logPath, ImageDataset data, IReadOnlyList<int> train, GuardPolicy policy)
    {
        if (train.Distinct().Count() != train.Count) throw new ArgumentException("the training set lists a sample twice", nameof(train));
        if (policy.DefaultBudget < 0 || (policy.Budgets?.Values.Any(b => b < 0) ?? false)) throw new ArgumentException("budgets must be ≥ 0", nameof(policy));
        var log = RequestLog.Open(logPath, IdentityOf(data, train));
        return new UnlearningGuard(log, train, ContentHash.Of(data, train), policy);
    }

    /// <summary>The log.</summary>
    public RequestLog Log => _log;

    /// <summary>Training indices unlearned so far.</summary>
    public IReadOnlyCollection<int> Unlearned => _unlearned.Keys;

    /// <summary>The training set minus everything unlearned so far (D_r for the next request), ascending.</summary>
    public int[] Remaining => _train.Where(i => !_unlearned.ContainsKey(i)).Order().ToArray();

    /// <summary>Samples <paramref name="requester"/> has had unlearned so far.</summary>
    public int Used(string requester) => _used.GetValueOrDefault(requester);

    /// <summary>Decides on a request and, if accepted, logs it durably first.</summary>
    public GuardDecision Submit(string requester, IReadOnlyList<string> hashes, string unlearner = "")
    {
        if (string.IsNullOrWhiteSpace(requester)) return new Refused(requester ?? "", "the request names no requester");
        if (hashes.Count == 0) return new Refused(requester, "the request names no sample");
        var indices = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var named = new List<string>();
        foreach (var raw in hashes)
        {
            if (!ContentHash.IsWellFormed(raw)) return new Refused(requester, $"'{Short(raw)}' is not a SHA-256 content hash (64 hex digits)");
            string h = raw.ToLowerInvariant();
            if (!seen.Add(h)) return new Refused(requester, $"sample {Short(h)} is named twice");
            named.Add(h);
            if (!_members.TryGetValue(h, out var members))
                return new Refused(requester, $"sample {Short(h)} is not in the training set: a non-member cannot be unlearned");
            var live = members.Where(i => !_unlearned.ContainsKey(i)).ToArray();
            if (live.Length == 0)
                return new Refused(requester, $"sample {Short(h)} was already unlearned (request #{_unlearned[members[0]]})");
            indices.AddRange(live);
        }
        int budget = _policy.BudgetOf(requester), used = Used(requester);
        if ((long)used + indices.Count > budget)
            return new Refused(requester, $"requester '{requester}' has used {used} of its budget of {budget} samples; this request would remove {indices.Count} more");
        var record = new LoggedRequest(_log.Records.Count + 1, requester, [.. named], [.. indices.Order()], unlearner);
        _log.Append(record);
        Apply(record);
        return new Accepted(record);
    }

    private void Apply(LoggedRequest r)
    {
        foreach (int i in r.Indices)
            if (!_unlearned.TryAdd(i, r.Sequence))
                throw new InvalidDataException($"{_log.Path}: request #{r.Sequence} unlearns sample {i} again (first by #{_unlearned[i]})");
        _used[r.Requester] = Used(r.Requester) + r.Indices.Length;
    }

    private static string Short(string? h) => h == null ? "" : h.Length > 16 ? h[..16] + "…" : h;
}
