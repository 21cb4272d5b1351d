using System.Diagnostics;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>
/// SISA settings (Bourtoule et al.; Healing §3, Table 1): <see cref="Shards"/> contiguous shards of the training set,
/// each cut into <see cref="Slices"/> contiguous slices; a shard's model is trained slice by slice on the cumulative data
/// (step j trains on slices 0..j) for <see cref="Training"/>'s epochs each, with a fresh optimiser per step.
/// </summary>
public sealed record SisaConfig(int Shards, int Slices, TrainingConfig Training)
{
    /// <summary>Refuses settings SISA cannot run with.</summary>
    public SisaConfig Validate()
    {
        if (Shards < 1 || Slices < 1) throw new ArgumentException($"SISA needs ≥ 1 shard and ≥ 1 slice (got {Shards} × {Slices})");
        Training.Validate();
        return this;
    }
}

/// <summary>What one deletion request cost: the shards retrained, the slice steps rerun, the wall time.</summary>
public sealed record SisaDeletion(int Deleted, int ShardsRetrained, int SliceStepsRerun, int SliceStepsTotal, double Seconds);

/// <summary>
/// A trained SISA ensemble (Healing §3): k shard models with a checkpoint before every slice step, majority-vote
/// prediction (ties to the lowest class), and exact deletion — a shard holding deleted samples restarts from the
/// checkpoint before the first slice that held one and retrains the later steps on what remains. Because every step
/// draws its batches from a seed fixed by (seed, shard, step) and starts a fresh optimiser, the result equals training
/// that shard from scratch on its remaining data.
/// </summary>
public sealed class SisaEnsemble : IDisposable
{
    private readonly SisaConfig _config;
    private readonly ImageDataset _data;
    private readonly long _seed;
    private readonly Device _device;
    private readonly List<int>[][] _slices;            // [shard][slice] → training indices still present
    private readonly Dictionary<string, Tensor>[][] _checkpoints; // [shard][step] → state before that step
    private readonly ImageClassifier[] _models;

    private SisaEnsemble(SisaConfig config, ImageDataset data, long seed, Device device, List<int>[][] slices, ImageClassifier[] models)
    {
        _config = config;
        _data = data;
        _seed = seed;
        _device = device;
        _slices = slices;
        _models = models;
        _checkpoints = slices.Select(s => new Dictionary<string, Tensor>[s.Length]).ToArray();
    }

    /// <summary>The shard models (read-only use; they are owned by the ensemble).</summary>
    public IReadOnlyList<ImageClassifier> Models => _models;

    /// <summary>The training indices still in shard <paramref name="shard"/>, slice by slice.</summary>
    public IReadOnlyList<IReadOnlyList<int>> SlicesOf(int shard) => _slices[shard];

    /// <summary>Seconds the initial training took.</summary>
    public double TrainingSeconds { get; private set; }

    /// <summary>
    /// Assigns <paramref name="train"/> to shards uniformly at random (a seeded permutation, cut into contiguous, near-equal
    /// shards and slices) and trains every shard. <paramref name="create"/> makes shard k's fresh model.
    /// </summary>
    public static SisaEnsemble Train(Func<int, ImageClassifier> create, ImageDataset data, IReadOnlyList<int> train, SisaConfig config, long seed, Device? device = null)
    {
        config.Validate();
        if (train.Count < config.Shards * config.Slices)
            throw new ArgumentException($"{train.Count} training samples cannot fill {config.Shards} shards × {config.Slices} slices");
        var shuffled = train.ToArray();
        new SeededRandom(seed, stream: 0x51FA).Shuffle(shuffled);
        var slices = Partition(shuffled, config.Shards).Select(shard => Partition(shard, config.Slices).Select(s => s.ToList()).ToArray()).ToArray();
        var models = new ImageClassifier[config.Shards];
        var ensemble = new SisaEnsemble(config, data, seed, device ?? CPU, slices, models);
        try
        {
            var clock = Stopwatch.StartNew();
            for (int k = 0; k < config.Shards; k++)
            {
                models[k] = create(k);
                ensemble.TrainFrom(k, 0);
            }
            ensemble.TrainingSeconds = clock.Elapsed.TotalSeconds;
            return ensemble;
        }
        catch
        {
            ensemble.Dispose();
            throw;
        }
    }

    /// <summary>An independent copy (models, slices and checkpoints), e.g. to apply different deletions to one trained ensemble.</summary>
    public SisaEnsemble Clone(Func<int, ImageClassifier> create)
    {
        var slices = _slices.Select(shard => shard.Select(s => s.ToList()).ToArray()).ToArray();
        var models = _models.Select((m, k) => ModelCopy.Clone(m, () => create(k))).ToArray();
        var copy = new SisaEnsemble(_config, _data, _seed, _device, slices, models) { TrainingSeconds = TrainingSeconds };
        using var noGrad = no_grad();
        for (int k = 0; k < _checkpoints.Length; k++)
            for (int j = 0; j < _checkpoints[k].Length; j++)
                copy._checkpoints[k][j] = _checkpoints[k][j]?.ToDictionary(p => p.Key, p => p.Value.clone().DetachFromDisposeScope())!;
        return copy;
    }

    /// <summary>Contiguous, near-equal parts (the first <c>n mod parts</c> parts one longer).</summary>
    public static int[][] Partition(IReadOnlyList<int> items, int parts)
    {
        var result = new int[parts][];
        int start = 0;
        for (int p = 0; p < parts; p++)
        {
            int length = items.Count / parts + (p < items.Count % parts ? 1 : 0);
            result[p] = items.Skip(start).Take(length).ToArray();
            start += length;
        }
        return result;
    }

    /// <summary>
    /// Deletes <paramref name="samples"/> (each must be a current member) and retrains every affected shard from the
    /// checkpoint before its first affected slice. Non-members are refused before anything changes.
    /// </summary>
    public SisaDeletion Delete(IReadOnlyCollection<int> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("the deletion set is empty", nameof(samples));
        var where = new Dictionary<int, (int Shard, int Slice)>();
        for (int k = 0; k < _slices.Length; k++)
            for (int j = 0; j < _slices[k].Length; j++)
                foreach (int i in _slices[k][j]) where[i] = (k, j);
        var missing = samples.Where(i => !where.ContainsKey(i)).Take(5).ToList();
        if (missing.Count > 0) throw new ArgumentException($"cannot delete samples that are not in the SISA training set: {string.Join(", ", missing)}{(samples.Count(i => !where.ContainsKey(i)) > 5 ? ", …" : "")}");
        if (samples.Distinct().Count() != samples.Count) throw new ArgumentException("the deletion set lists a sample twice");
        foreach (var shard in samples.GroupBy(i => where[i].Shard))
            if (shard.Count() == _slices[shard.Key].Sum(s => s.Count))
                throw new ArgumentException($"deleting these samples empties shard {shard.Key}; SISA cannot keep a model for it");
        var clock = Stopwatch.StartNew();
        var firstAffected = new Dictionary<int, int>();
        foreach (int i in samples)
        {
            var (k, j) = where[i];
            _slices[k][j].Remove(i);
            firstAffected[k] = Math.Min(firstAffected.GetValueOrDefault(k, int.MaxValue), j);
        }
        int rerun = 0;
        foreach (var (k, j) in firstAffected.OrderBy(p => p.Key))
        {
            Restore(k, j);
            rerun += _config.Slices - j;
            TrainFrom(k, j);
        }
        return new SisaDeletion(samples.Count, firstAffected.Count, rerun, _config.Shards * _config.Slices, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Majority vote of the shard models' predicted classes (ties go to the lowest class index).</summary>
    public int[] Predict(IReadOnlyList<int> indices, int? batchSize = null)
    {
        var votes = new int[indices.Count, _data.NumClasses];
        var evaluator = new Evaluator(_device, batchSize, _config.Training.Limits);
        foreach (var model in _models)
        {
            var e = evaluator.Evaluate(model, _data, indices);
            for (int n = 0; n < indices.Count; n++) votes[n, e.Predicted[n]]++;
        }
        var result = new int[indices.Count];
        for (int n = 0; n < indices.Count; n++)
        {
            int best = 0;
            for (int c = 1; c < _data.NumClasses; c++) if (votes[n, c] > votes[n, best]) best = c;
            result[n] = best;
        }
        return result;
    }

    /// <summary>Accuracy of the majority vote on <paramref name="indices"/>.</summary>
    public double Accuracy(IReadOnlyList<int> indices) => (double)Correct(indices).Count(c => c) / indices.Count;

    /// <summary>Per sample of <paramref name="indices"/>: the majority vote equals the label.</summary>
    public bool[] Correct(IReadOnlyList<int> indices)
    {
        var predicted = Predict(indices);
        return indices.Select((i, n) => predicted[n] == _data.Labels[i]).ToArray();
    }

    /// <summary>The seed of slice step <paramref name="step"/> of shard <paramref name="shard"/>.</summary>
    public static long StepSeed(long seed, int shard, int step) => seed * 1_000_003L + shard * 1_009L + step;

    private void TrainFrom(int shard, int step)
    {
        var trainer = new Trainer(_device);
        for (int j = step; j < _config.Slices; j++)
        {
            Save(shard, j);
            var cumulative = _slices[shard].Take(j + 1).SelectMany(s => s).ToArray();
            if (cumulative.Length == 0) continue; // nothing yet: the step leaves the model as it is
            trainer.Fit(_models[shard], _data, cumulative, _config.Training, StepSeed(_seed, shard, j));
        }
    }

    private void Save(int shard, int step)
    {
        if (_checkpoints[shard][step] is { } old) foreach (var t in old.Values) t.Dispose();
        using var noGrad = no_grad();
        _checkpoints[shard][step] = _models[shard].state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    private void Restore(int shard, int step)
    {
        var state = _checkpoints[shard][step] ?? throw new InvalidOperationException($"no checkpoint for shard {shard} before slice {step}");
        using var noGrad = no_grad();
        foreach (var (name, t) in _models[shard].state_dict()) t.copy_(state[name]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var m in _models) m?.Dispose();
        foreach (var shard in _checkpoints)
            foreach (var state in shard)
                if (state != null) foreach (var t in state.Values) t.Dispose();
    }
}
