using BenchmarkDotNet.Attributes;
using TorchSharp;
using Unlearning;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Reproduce.Bench;

/// <summary>
/// One training epoch over embedded MNIST digits (2,048 for SmallCnn, 256 for the far heavier ResNet-9): the harness
/// <see cref="Trainer"/> against the shortest loop one would write with TorchSharp by hand (same model, batches,
/// optimiser). Ratio = harness overhead; throughput = images / mean time.
/// </summary>
[MemoryDiagnoser(displayGenColumns: false)]
// In-process: the benchmark host is this project's (patched) build output, so TorchSharp's native bridge loads.
[InProcess]
[WarmupCount(1)]
[IterationCount(5)]
public class TrainerBenchmarks
{
    private ImageDataset _data = null!;
    private int[] _indices = null!;
    private ImageClassifier _model = null!;

    [Params(ModelKind.SmallCnn, ModelKind.ResNet9)]
    public ModelKind Model { get; set; }

    [Params(128, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        _data = new DataCatalog(DataOptions.Resolve()).Load(DatasetId.Mnist10k);
        _indices = Enumerable.Range(0, Model == ModelKind.SmallCnn ? 2048 : 256).Select(i => i * 4).ToArray();
        _model = new ModelSpec(Model).Create(1, 28, 10, 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _data.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare TorchSharp loop")]
    public double BareLoop()
    {
        _model.train();
        using var opt = optim.Adam(_model.parameters(), 1e-3);
        double last = 0;
        for (int start = 0; start < _indices.Length; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var (x, y) = _data.Batch(_indices.AsSpan(start, Math.Min(BatchSize, _indices.Length - start)));
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(_model.forward(x), y);
            loss.backward();
            opt.step();
            last = loss.item<float>();
        }
        return last;
    }

    [Benchmark(Description = "harness Trainer")]
    public double HarnessTrainer() =>
        new Trainer().Fit(_model, _data, _indices, TrainingConfig.Adam(epochs: 1, batchSize: BatchSize), seed: 1).EpochLosses[0];
}
