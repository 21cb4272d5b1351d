using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using Unlearning;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Reproduce.Bench;

/// <summary>
/// How close a training step runs to this CPU's limit: per architecture (the ci SmallCnn and LipschitzCnn on 1×28×28, the
/// paper's ResNet-9 and ResNet-18 on 3×32×32) and per phase of a step — data batching, forward, backward, optimiser step,
/// evaluation — the time of one batch, from which <see cref="UtilizationTable"/> derives the achieved GFLOP/s beside the
/// peak of a large single-precision matrix product (<see cref="PeakMatmulBenchmarks"/>) on the same threads. Backward and
/// step are differences of nested measurements (forward+backward − forward, full step − forward+backward). The fixed cost
/// per step — dispatch, managed code, allocation, what does not scale with the batch — is the full step at batch 1.
/// </summary>
[InProcess]
[WarmupCount(2)]
[IterationCount(8)]
public class UtilizationBenchmarks
{
    private ImageDataset _data = null!;
    private ImageClassifier _model = null!;
    private ParameterOptimizer _optimizer = null!;
    private int[] _batch = null!;
    private Tensor _x = null!, _y = null!, _evalX = null!;

    /// <summary>The evaluated batch: four of the evaluator's CPU batches of 128, to show the rate of a larger evaluation batch.</summary>
    public const int EvaluationBatch = 512;

    [Params(ModelKind.SmallCnn, ModelKind.LipschitzCnn, ModelKind.ResNet9, ModelKind.ResNet18)]
    public ModelKind Model { get; set; }

    [Params(1, 128)]
    public int Batch { get; set; }

    /// <summary>The input shape an architecture is used with: (channels, side).</summary>
    public static (int Channels, int Side) Input(ModelKind model) => model is ModelKind.SmallCnn or ModelKind.LipschitzCnn ? (1, 28) : (3, 32);

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var (c, side) = Input(Model);
        _data = c == 1 ? new DataCatalog(DataOptions.Resolve()).Load(DatasetId.Mnist10k) : Synthetic(c, side, 1024);
        _model = new ModelSpec(Model).Create(c, side, 10, seed: 1);
        _model.train();
        // The scales' optimisers: Adam 1e-3 for the ci models, SGD 0.1 with momentum and weight decay for the paper's ResNets.
        var config = c == 1 ? TrainingConfig.Adam(epochs: 1, batchSize: Batch)
            : new TrainingConfig(1, Batch, OptimizerKind.Sgd, 0.1, 0.9, 5e-4, ScheduleKind.Constant);
        _optimizer = ParameterOptimizer.Create(_model, config);
        _batch = Enumerable.Range(0, Batch).Select(i => i * 7 % _data.Count).ToArray();
        var (x, y) = _data.Batch(_batch);
        _x = x.DetachFromDisposeScope();
        _y = y.DetachFromDisposeScope();
        var (ex, _) = _data.Batch(Enumerable.Range(0, EvaluationBatch).Select(i => i % _data.Count).ToArray());
        _evalX = ex.DetachFromDisposeScope();
    }

    private static ImageDataset Synthetic(int channels, int side, int count)
    {
        var random = new Random(5);
        var pixels = new byte[count * channels * side * side];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        return new ImageDataset($"synthetic {channels}×{side}×{side}", new IdxArray([count, channels, side, side], pixels), labels, 10, "synthetic");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { _x, _y, _evalX }) t.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
        _data.Dispose();
    }

    [Benchmark(Description = "data batching")]
    public long Batching()
    {
        using var scope = NewDisposeScope();
        var (x, _) = _data.Batch(_batch);
        return x.shape[0];
    }

    [Benchmark(Description = "forward")]
    public float Forward()
    {
        using var scope = NewDisposeScope();
        return nn.functional.cross_entropy(_model.forward(_x), _y).item<float>();
    }

    [Benchmark(Description = "forward + backward")]
    public float ForwardBackward()
    {
        using var scope = NewDisposeScope();
        _optimizer.ZeroGrad();
        var loss = nn.functional.cross_entropy(_model.forward(_x), _y);
        loss.backward();
        return loss.item<float>();
    }

    [Benchmark(Description = "training step")]
    public float Step()
    {
        using var scope = NewDisposeScope();
        var (x, y) = _data.Batch(_batch);
        _optimizer.ZeroGrad();
        var loss = nn.functional.cross_entropy(_model.forward(x), y);
        loss.backward();
        _optimizer.Step();
        return loss.item<float>();
    }

    [Benchmark(Description = "evaluation (512 images)")]
    public long Evaluate()
    {
        if (Batch != 128) return 0; // one evaluation batch size; measured once per architecture
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        long n = _model.forward(_evalX).argmax(1).shape[0];
        _model.train();
        return n;
    }
}

/// <summary>This CPU's reference peak: a 2048² single-precision matrix product through libtorch on the process's threads.</summary>
[InProcess]
[WarmupCount(2)]
[IterationCount(10)]
public class PeakMatmulBenchmarks
{
    /// <summary>The side of the square matrices.</summary>
    public const int Side = 2048;

    private Tensor _a = null!, _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(3);
        _a = randn(Side, Side);
        _b = randn(Side, Side);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Benchmark(Description = "matmul 2048²")]
    public float Matmul()
    {
        using var c = _a.matmul(_b);
        return c[0, 0].item<float>();
    }
}

/// <summary>
/// Multiply-adds of one image's forward pass, counted from the architectures' layouts (convolutions and linear layers;
/// normalisations, activations, poolings and the clipped layers' power iterations are not counted, so the GFLOP/s derived
/// from them are a lower bound on the arithmetic done).
/// </summary>
public static class MultiplyAdds
{
    /// <summary>Forward multiply-adds per image of <paramref name="model"/> on its input (<see cref="UtilizationBenchmarks.Input"/>), 10 classes.</summary>
    public static double PerImage(ModelKind model)
    {
        var (c, s) = UtilizationBenchmarks.Input(model);
        return model switch
        {
            ModelKind.SmallCnn or ModelKind.LipschitzCnn => SmallCnn(c, s),
            ModelKind.ResNet9 => ResNet9(c, s),
            ModelKind.ResNet18 => ResNet18(c, s, 64),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "no layout counted"),
        };
    }

    private static double Conv(int side, int cOut, int cIn, int kernel) => (double)side * side * cOut * cIn * kernel * kernel;

    /// <summary>Conv(3) → ceil pool → Conv(3) → ceil pool → Linear(128) → Linear(10).</summary>
    public static double SmallCnn(int c, int s)
    {
        int s1 = s - 2, p1 = (s1 + 1) / 2, s2 = p1 - 2, p2 = (s2 + 1) / 2;
        return Conv(s1, 32, c, 3) + Conv(s2, 64, 32, 3) + 64.0 * p2 * p2 * 128 + 128 * 10;
    }

    /// <summary>prep 3×3 → 5×5 stride 2 → residual (2 × 3×3) → 3×3 → pool → residual → 3×3 unpadded → linear.</summary>
    public static double ResNet9(int c, int s)
    {
        int h = s / 2, q = h / 2, o = q - 2;
        return Conv(s, 64, c, 3) + Conv(h, 128, 64, 5) + 2 * Conv(h, 128, 128, 3) + Conv(h, 256, 128, 3)
               + 2 * Conv(q, 256, 256, 3) + Conv(o, 128, 256, 3) + 128 * 10;
    }

    /// <summary>The CIFAR ResNet-18: 3×3 stem, four stages of two basic blocks (1×1 projection where the shape changes), linear.</summary>
    public static double ResNet18(int c, int s, int w)
    {
        double total = Conv(s, w, c, 3);
        int side = s, cIn = w;
        foreach (var (cOut, stride) in new[] { (w, 1), (2 * w, 2), (4 * w, 2), (8 * w, 2) })
        {
            side = (side - 1) / stride + 1;
            total += Conv(side, cOut, cIn, 3) + Conv(side, cOut, cOut, 3) + (stride != 1 || cIn != cOut ? Conv(side, cOut, cIn, 1) : 0);
            total += 2 * Conv(side, cOut, cOut, 3);
            cIn = cOut;
        }
        return total + 8.0 * w * 10;
    }
}

/// <summary>
/// The utilisation table a bench run ends with (README, "Performance"): per architecture and phase, the time per batch of 128,
/// the achieved GFLOP/s (forward 2·MACs, backward 4·MACs per image, the step's optimiser update not counted) and its share of
/// the measured matrix-product peak, and the fixed per-step cost (the step at batch 1) as a share of the step at 128. The
/// optimiser's time is a difference of two measurements (step − forward+backward − batching): where it is smaller than their
/// noise the table says so instead of printing a negative time.
/// </summary>
public static class UtilizationTable
{
    /// <summary>Writes the table if this run measured the utilisation benchmarks; returns whether it did.</summary>
    public static bool Write(IReadOnlyList<Summary> summaries, TextWriter output)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics != null).ToList();
        double? peakNs = reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Type == typeof(PeakMatmulBenchmarks))?.ResultStatistics!.Mean;
        var cases = reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(UtilizationBenchmarks)).ToList();
        if (cases.Count == 0) return false;
        double Ns(ModelKind m, int batch, string method) =>
            cases.FirstOrDefault(r => (ModelKind)r.BenchmarkCase.Parameters["Model"] == m && (int)r.BenchmarkCase.Parameters["Batch"] == batch
                                      && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics!.Mean ?? double.NaN;
        double peak = peakNs is double p ? 2.0 * Math.Pow(PeakMatmulBenchmarks.Side, 3) / p : double.NaN; // GFLOP/s (flop per ns)
        var sb = new StringBuilder();
        sb.AppendLine(FormattableString.Invariant($"Peak: matmul {PeakMatmulBenchmarks.Side}² = {peak:0.0} GFLOP/s on {TorchSharp.torch.get_num_threads()} threads."));
        sb.AppendLine();
        sb.AppendLine("| model | MMAC/img | batching ms | forward ms (GFLOP/s, % peak) | backward ms (GFLOP/s, % peak) | optimiser ms | step ms (GFLOP/s, % peak) | eval 512 ms (GFLOP/s, % peak) | fixed cost/step |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var m in cases.Select(r => (ModelKind)r.BenchmarkCase.Parameters["Model"]).Distinct())
        {
            double macs = MultiplyAdds.PerImage(m), b = 128;
            double batching = Ns(m, 128, nameof(UtilizationBenchmarks.Batching)), forward = Ns(m, 128, nameof(UtilizationBenchmarks.Forward));
            double fb = Ns(m, 128, nameof(UtilizationBenchmarks.ForwardBackward)), step = Ns(m, 128, nameof(UtilizationBenchmarks.Step));
            double eval = Ns(m, 128, nameof(UtilizationBenchmarks.Evaluate)), stepAt1 = Ns(m, 1, nameof(UtilizationBenchmarks.Step));
            double backward = fb - forward, optimiser = step - fb - batching;
            string Rate(double ns, double flops) => FormattableString.Invariant($"{ns / 1e6:0.00} ({flops / ns:0.0}, {100 * flops / ns / peak:0}%)");
            sb.AppendLine(FormattableString.Invariant(
                $"| {m} | {macs / 1e6:0.00} | {batching / 1e6:0.00} | {Rate(forward, 2 * macs * b)} | {Rate(backward, 4 * macs * b)} | {(optimiser > 0 ? (optimiser / 1e6).ToString("0.00", CultureInfo.InvariantCulture) : "within noise")} | {Rate(step, 6 * macs * b)} | {Rate(eval, 2 * macs * UtilizationBenchmarks.EvaluationBatch)} | {100 * stepAt1 / step:0}% |"));
        }
        output.WriteLine();
        output.Write(sb.ToString());
        string dir = summaries.Select(x => x.ResultsDirectoryPath).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "utilization.md"), sb.ToString());
        return true;
    }
}
