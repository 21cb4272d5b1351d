using System.Collections.Concurrent;

namespace Unlearning.Training;

/// <summary>
/// What the models of one piece of work were asked to do, counted as it happens: trainings started, optimiser steps taken,
/// forward passes and the input → logit shapes they saw. A dry run (<c>reproduce run --scale paper --dry-run</c>) opens one
/// trace per claim variant with <see cref="Begin"/> and reports it: that is how it shows which architectures and shapes the
/// paper path reached and that every training took its capped steps. The trace flows with the execution context (it is
/// scoped to the code that began it and what that code calls, threads and tasks included), so claims running in other
/// lanes are not counted; with no trace open the hooks cost one read.
/// </summary>
public sealed class PathTrace
{
    private static readonly AsyncLocal<PathTrace?> s_current = new();
    private readonly ConcurrentDictionary<string, long> _shapes = new();
    private readonly ConcurrentQueue<TrainingSpec> _specs = new();
    private long _trainings, _steps, _forwards;

    /// <summary>The trace open in this execution context, or null.</summary>
    public static PathTrace? Current => s_current.Value;

    /// <summary>Opens <paramref name="trace"/> for the calling context until the result is disposed (then the previous one is current again).</summary>
    public static IDisposable Begin(PathTrace trace)
    {
        var previous = s_current.Value;
        s_current.Value = trace;
        return new Scope(previous);
    }

    /// <summary>Trainings and fine-tunings started (a model cache hit trains nothing).</summary>
    public long Trainings => Interlocked.Read(ref _trainings);

    /// <summary>Optimiser steps taken by those trainings.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Forward passes through a classifier (training, evaluation, attacks, importances).</summary>
    public long Forwards => Interlocked.Read(ref _forwards);

    /// <summary>Forward passes per "model: input shape → logit shape", e.g. "ResNet18: 16×3×32×32 → 16×10".</summary>
    public IReadOnlyDictionary<string, long> Shapes => new SortedDictionary<string, long>(_shapes, StringComparer.Ordinal);

    /// <summary>The trainings started, each with the size it has uncapped (what a real run of the same path trains).</summary>
    public IReadOnlyList<TrainingSpec> Specs => [.. _specs];

    internal static void Training(TrainingSpec spec)
    {
        if (s_current.Value is not { } t) return;
        Interlocked.Increment(ref t._trainings);
        t._specs.Enqueue(spec);
    }

    internal static void Step() { if (s_current.Value is { } t) Interlocked.Increment(ref t._steps); }

    /// <summary>Counts one forward pass of <paramref name="model"/> from <paramref name="input"/> to <paramref name="output"/> shapes.</summary>
    public static void Forward(string model, ReadOnlySpan<long> input, ReadOnlySpan<long> output)
    {
        if (s_current.Value is not { } t) return;
        Interlocked.Increment(ref t._forwards);
        t._shapes.AddOrUpdate($"{model}: {Shape(input)} → {Shape(output)}", 1, (_, n) => n + 1);
    }

    private static string Shape(ReadOnlySpan<long> s)
    {
        var parts = new string[s.Length];
        for (int i = 0; i < s.Length; i++) parts[i] = s[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join("×", parts);
    }

    private sealed class Scope(PathTrace? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

/// <summary>
/// One training as configured, before any cap: the architecture, its epochs, the samples of one epoch, the batch size and
/// the optimiser steps that makes (what the cost plan multiplies by a measured time per step).
/// </summary>
public sealed record TrainingSpec(string Architecture, string Input, int Epochs, long SamplesPerEpoch, int BatchSize, string Kind)
{
    /// <summary>Optimiser steps of the uncapped training.</summary>
    public long Steps => Epochs * ((SamplesPerEpoch + BatchSize - 1) / BatchSize);
}
