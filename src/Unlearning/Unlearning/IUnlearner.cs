using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>
/// What an unlearner is asked to do. <see cref="Forget"/> is D_F / S_f (what the defender knows must go),
/// <see cref="Retain"/> is D_R (the rest of the training set; in poisoning scenarios it still contains the
/// unidentified poison). <see cref="RetainTransform"/> and <see cref="ForgetTransform"/> rewrite batches drawn from
/// those sets (e.g. the poison trigger and its label). <see cref="CreateModel"/> builds a fresh, untrained model of
/// the same architecture (for retraining and for copies).
/// </summary>
public sealed record UnlearningRequest(
    ImageClassifier Model,
    Func<ImageClassifier> CreateModel,
    ImageDataset Data,
    int[] Retain,
    int[] Forget,
    TrainingConfig Training,
    long Seed,
    BatchTransform? RetainTransform = null,
    BatchTransform? ForgetTransform = null,
    Device? Device = null)
{
    /// <summary>Refuses requests that cannot mean anything: an empty forget set, a sample listed twice, overlapping sets, indices outside the data.</summary>
    public UnlearningRequest Validate()
    {
        if (Forget.Length == 0) throw new ArgumentException("the forget set is empty: there is nothing to unlearn", nameof(Forget));
        int bad = Array.FindIndex(Forget, i => i < 0 || i >= Data.Count);
        if (bad >= 0) throw new ArgumentException($"forget index {Forget[bad]} is outside the dataset (0..{Data.Count - 1})", nameof(Forget));
        var seen = new HashSet<int>();
        int twice = Array.FindIndex(Forget, i => !seen.Add(i));
        if (twice >= 0) throw new ArgumentException($"forget index {Forget[twice]} is listed twice: a sample is unlearned once", nameof(Forget));
        var retain = new HashSet<int>(Retain);
        int overlap = Array.FindIndex(Forget, retain.Contains);
        if (overlap >= 0) throw new ArgumentException($"sample {Forget[overlap]} is in both the forget and the retain set", nameof(Forget));
        return this;
    }
}

/// <summary>An unlearned model and what the method reports about its run.</summary>
public sealed record UnlearningResult(ImageClassifier Model, double Seconds, IReadOnlyDictionary<string, double> Diagnostics);

/// <summary>One unlearning method. Implementations never modify <see cref="UnlearningRequest.Model"/>; they return a new model.</summary>
public interface IUnlearner
{
    /// <summary>Name used in reports ("PTN-XLF", "EU", …).</summary>
    string Name { get; }

    /// <summary>Runs the method.</summary>
    UnlearningResult Unlearn(UnlearningRequest request);
}
