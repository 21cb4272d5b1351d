namespace Reproduce.Cli;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (the trainer runs synchronously).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
