using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
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
[Config(typeof(ImagesPerSecond))]
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
        _indices = Enumerable.Range(0, Images(Model)).Select(i => i * 4).ToArray();
        _model = new ModelSpec(Model).Create(1, 28, 10, 1);
    }

    /// <summary>Images per operation (one epoch) for a model.</summary>
    public static int Images(ModelKind model) => model == ModelKind.SmallCnn ? 2048 : 256;

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

    [Benchmark(Description = "harness Trainer"), Goal("harness overhead", "≤", 1.05, "–")]
    public double HarnessTrainer() =>
        new Trainer().Fit(_model, _data, _indices, TrainingConfig.Adam(epochs: 1, batchSize: BatchSize), seed: 1).EpochLosses[0];
}

/// <summary>Adds an images/s column (images of one epoch ÷ mean time) to the trainer benchmarks' table.</summary>
public sealed class ImagesPerSecond : ManualConfig
{
    public ImagesPerSecond() => AddColumn(new Column());

    private sealed class Column : IColumn
    {
        public string Id => "ImagesPerSecond";
        public string ColumnName => "images/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "training images per second (one epoch's images / mean time)";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is not double ns || ns <= 0) return "–";
            var model = (ModelKind)benchmarkCase.Parameters["Model"];
            return (TrainerBenchmarks.Images(model) / (ns / 1e9)).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
