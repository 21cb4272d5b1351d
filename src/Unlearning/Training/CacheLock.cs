using System.Text.Json;

namespace Unlearning.Training;

/// <summary>
/// How processes sharing a model cache take turns: a training holds <c>&lt;key&gt;.lock</c> and touches it every
/// <see cref="Heartbeat"/>; a lock untouched for <see cref="StaleAfter"/> belongs to a process that died and is taken over;
/// a waiter looks again every <see cref="Poll"/>.
/// </summary>
public sealed record CacheLockOptions(TimeSpan Heartbeat, TimeSpan StaleAfter, TimeSpan Poll)
{
    /// <summary>15 s heartbeat, stale after 2 min (eight missed beats: a busy shared file system is slow, not dead), poll every 2 s.</summary>
    public static CacheLockOptions Default { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(2));

    /// <summary>Refuses timings under which a live owner could look stale.</summary>
    public CacheLockOptions Validate()
    {
        if (Heartbeat <= TimeSpan.Zero || Poll <= TimeSpan.Zero) throw new ArgumentException($"cache lock: heartbeat {Heartbeat} and poll {Poll} must be positive");
        if (StaleAfter < 2 * Heartbeat) throw new ArgumentException($"cache lock: stale-after {StaleAfter} must be at least two heartbeats ({Heartbeat})");
        return this;
    }
}

/// <summary>What a lock file says: who holds it, since when.</summary>
public sealed record CacheLockOwner(string Owner, string Host, int Process, DateTime AcquiredUtc);

/// <summary>
/// An exclusive claim on training one cache entry, across threads, processes and machines on a shared file system. Taken by
/// creating the lock file with create-new semantics (atomic, O_EXCL); held while a timer touches its modification time;
/// released by deleting it, only if it is still this holder's. A lock whose modification time is older than
/// <see cref="CacheLockOptions.StaleAfter"/> is taken over: renamed aside atomically (of two processes that find it stale,
/// one rename succeeds), then created anew.
/// </summary>
public sealed class CacheLock : IDisposable
{
    private readonly string _path;
    private readonly string _owner;
    private readonly Timer _heartbeat;
    private bool _released;

    private CacheLock(string path, string owner, TimeSpan heartbeat)
    {
        _path = path;
        _owner = owner;
        _heartbeat = new Timer(_ => Touch(), null, heartbeat, heartbeat);
    }

    /// <summary>
    /// Takes the lock at <paramref name="path"/>, waiting while a live holder has it. Returns null instead of the lock when
    /// <paramref name="done"/> reports, between looks, that the holder finished the work (the waiter then uses its result).
    /// </summary>
    public static CacheLock? Acquire(string path, Func<bool> done, CacheLockOptions? options = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var o = (options ?? CacheLockOptions.Default).Validate();
        var me = new CacheLockOwner($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", Environment.MachineName, Environment.ProcessId, DateTime.UtcNow);
        bool announced = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (TryCreate(path, me with { AcquiredUtc = DateTime.UtcNow })) return new CacheLock(path, me.Owner, o.Heartbeat);
            var holder = Read(path);
            DateTime touched = File.GetLastWriteTimeUtc(path);
            if (touched != DateTime.FromFileTimeUtc(0) && DateTime.UtcNow - touched > o.StaleAfter)
            {
                string aside = $"{path}.stale.{Guid.NewGuid():N}";
                try
                {
                    File.Move(path, aside);
                    File.Delete(aside);
                    log?.Invoke($"model cache: took over the stale lock {path} (held by {holder?.Owner ?? "?"}, untouched for {(DateTime.UtcNow - touched).TotalSeconds:0} s)");
                }
                catch (FileNotFoundException) { } // another waiter moved it first
                continue;
            }
            if (done()) return null;
            if (!announced)
            {
                log?.Invoke($"model cache: waiting for {holder?.Owner ?? "another process"} to finish {Path.GetFileNameWithoutExtension(path)}");
                announced = true;
            }
            cancellation.WaitHandle.WaitOne(o.Poll);
        }
    }

    /// <summary>The holder recorded in the lock file at <paramref name="path"/>, or null when absent or unreadable.</summary>
    public static CacheLockOwner? Read(string path)
    {
        try { return JsonSerializer.Deserialize<CacheLockOwner>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    private static bool TryCreate(string path, CacheLockOwner owner)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            JsonSerializer.Serialize(fs, owner);
            fs.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path)) { return false; }
    }

    private void Touch()
    {
        try
        {
            if (!_released) File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
        }
        catch (IOException) { } // taken over after a stall: the release below then leaves the new holder's file alone
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Stops the heartbeat and deletes the lock file if it is still this holder's.</summary>
    public void Dispose()
    {
        if (_released) return;
        _released = true;
        _heartbeat.Dispose();
        if (Read(_path)?.Owner == _owner) File.Delete(_path);
    }
}
