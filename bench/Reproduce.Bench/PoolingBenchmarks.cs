using BenchmarkDotNet.Attributes;
using Unlearning;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Reproduce.Bench;

/// <summary>
/// The SmallCnn's 2×2 max poolings, forward and backward, at ci batch 128: libtorch's <c>max_pool2d</c> (NCHW, the
/// baseline) against <see cref="MaxPool2x2"/>, whose results are the same bit for bit (tests/…/MaxPoolTests.cs), and the
/// ReLU-then-pool order the SmallCnn used against pool-then-ReLU. The shapes are the first pooling's (32 × 26 × 26) and
/// the second's (64 × 11 × 11, an odd side).
/// </summary>
[InProcess]
[WarmupCount(2)]
[IterationCount(10)]
public class PoolingBenchmarks
{
    private Tensor _input = null!;
    private Tensor _grad = null!;

    [Params("128x32x26x26", "128x64x11x11")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        long[] s = Shape.Split('x').Select(long.Parse).ToArray();
        _input = randn(s);
        _grad = randn(s[0], s[1], s[2] / 2, s[3] / 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input.Dispose();
        _grad.Dispose();
    }

    private double Step(Func<Tensor, Tensor> block)
    {
        using var scope = NewDisposeScope();
        var x = _input.detach().requires_grad_(true);
        var y = block(x);
        y.backward([_grad]);
        return x.grad!.numel();
    }

    [Benchmark(Baseline = true, Description = "libtorch relu → max_pool2d, fwd+bwd")]
    public double Libtorch() => Step(x => nn.functional.max_pool2d(nn.functional.relu(x), 2));

    [Benchmark(Description = "libtorch relu → MaxPool2x2, fwd+bwd")]
    public double Kernel() => Step(x => MaxPool2x2.Apply(nn.functional.relu(x)));

    [Benchmark(Description = "MaxPool2x2 → relu, fwd+bwd (the SmallCnn's order)")]
    public double KernelThenRelu() => Step(x => nn.functional.relu(MaxPool2x2.Apply(x)));
}

/// <summary>
/// One ci training epoch (2,048 embedded MNIST digits, Adam, batch 128) of the SmallCnn with libtorch's pooling (the
/// baseline, <see cref="LibtorchPoolingCnn"/>) and with <see cref="MaxPool2x2"/> after the ReLU reorder: the end-to-end
/// gain of the kernel. Both start from the same weights and see the same batches.
/// </summary>
[InProcess]
[WarmupCount(1)]
[IterationCount(8)]
public class SmallCnnPoolingBenchmarks
{
    private Unlearning.Data.ImageDataset _data = null!;
    private int[] _indices = null!;
    private ImageClassifier _library = null!;
    private ImageClassifier _libtorch = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        _data = new Unlearning.Data.DataCatalog(Unlearning.Data.DataOptions.Resolve()).Load(Unlearning.Data.DatasetId.Mnist10k);
        _indices = Enumerable.Range(0, 2048).Select(i => i * 4).ToArray();
        _library = ModelSpec.SmallCnn.Create(1, 28, 10, 1);
        _libtorch = new LibtorchPoolingCnn();
        using var noGrad = no_grad();
        var source = _library.state_dict();
        foreach (var (name, t) in _libtorch.state_dict()) t.copy_(source[name]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _library.Dispose();
        _libtorch.Dispose();
        _data.Dispose();
    }

    private double Epoch(ImageClassifier model) =>
        new Unlearning.Training.Trainer().Fit(model, _data, _indices, Unlearning.Training.TrainingConfig.Adam(epochs: 1, batchSize: 128), seed: 1).EpochLosses[0];

    [Benchmark(Baseline = true, Description = "SmallCnn epoch, libtorch max_pool2d")]
    public double Libtorch() => Epoch(_libtorch);

    [Benchmark(Description = "SmallCnn epoch, MaxPool2x2")]
    public double Kernel() => Epoch(_library);
}
