using Reproduce.Tests.Support;
using TorchSharp;
using Unlearning;
using Unlearning.Models;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

[Collection(Serial.Name)]
[Scale("unit")]
public class ModelTests
{
    public static TheoryData<string, ModelSpec, int, int, int> Architectures => new()
    {
        { "SmallCnn-mnist", ModelSpec.SmallCnn, 1, 28, 128 },
        { "SmallCnn-cifar", ModelSpec.SmallCnn, 3, 32, 128 },
        { "ResNet9", new ModelSpec(ModelKind.ResNet9), 3, 32, 128 },
        { "ResNet18-w16", new ModelSpec(ModelKind.ResNet18, Width: 16), 3, 32, 128 },
        { "WRN-10-1", new ModelSpec(ModelKind.WideResNet, Width: 1, Depth: 10), 3, 32, 64 },
        { "TinyVit-mnist", new ModelSpec(ModelKind.TinyVit, Width: 32, Depth: 2), 1, 28, 32 },
        { "LipschitzCnn-mnist", ModelSpec.LipschitzCnn, 1, 28, 128 },
        { "LipschitzCnn-cifar", ModelSpec.LipschitzCnn, 3, 32, 128 },
        { "TinyVit-cifar", new ModelSpec(ModelKind.TinyVit, Width: 32, Depth: 2), 3, 32, 32 },
        { "LipschitzResNet18-w8", new ModelSpec(ModelKind.LipschitzResNet18, Width: 8), 3, 32, 64 },
    };

    [Theory]
    [InlineData(32, 3, 1, 1)]
    [InlineData(32, 3, 2, 1)]
    [InlineData(32, 1, 2, 0)]
    [InlineData(7, 3, 2, 1)]
    [InlineData(8, 3, 2, 1)]
    public void The_transposed_convolution_is_the_adjoint_of_a_strided_convolution(int side, int kernel, int stride, int padding)
    {
        // ⟨A u, w⟩ = ⟨u, Aᵀ w⟩ for every u, w: the power iteration estimates A's largest singular value only if Aᵀ maps back onto A's input shape.
        using var scope = NewDisposeScope();
        var weight = randn(5, 4, kernel, kernel);
        var u = randn(1, 4, side, side);
        var Au = nn.functional.conv2d(u, weight, strides: [stride, stride], padding: [padding, padding]);
        var w = randn_like(Au);
        long op = SpectralClip.OutputPadding(side, kernel, stride, padding);
        var Atw = nn.functional.conv_transpose2d(w, weight, strides: [stride, stride], padding: [padding, padding], output_padding: [op, op]);
        Assert.Equal(u.shape, Atw.shape);
        double left = Au.mul(w).sum().item<float>(), right = u.mul(Atw).sum().item<float>();
        Assert.True(Math.Abs(left - right) <= 1e-4 * Math.Max(1, Math.Abs(left)), $"⟨Au, w⟩ = {left} but ⟨u, Aᵀw⟩ = {right}");
    }

    [Fact]
    public void Lipschitz_resnet18_clips_every_convolution_and_the_classifier_to_operator_norm_1()
    {
        using var model = (ResNet18)new ModelSpec(ModelKind.LipschitzResNet18, Width: 4).Create(3, 32, 10, seed: 5);
        var vectors = model.named_buffers().Where(b => b.name.EndsWith(".v")).ToDictionary(b => b.name, b => b.buffer.shape);
        Assert.Equal(21, vectors.Count); // stem, 16 block convolutions, 3 strided shortcuts, classifier
        Assert.Equal([1L, 3, 32, 32], vectors["conv1.v"]);
        Assert.Equal([1L, 4, 32, 32], vectors["layer2.0.shortcut.0.v"]);
        Assert.Equal([1L, 8, 16, 16], vectors["layer2.1.conv1.v"]);
        Assert.Equal([32L], vectors["fc.v"]);
        using var scope = NewDisposeScope();
        using (no_grad()) foreach (var p in model.parameters()) p.mul_(3);
        model.train();
        using (no_grad()) for (int i = 0; i < 150; i++) model.forward(rand(2, 3, 32, 32));
        Assert.Contains(model.SpectralNorms(), s => s > 1);
        Assert.All(model.ClippedNorms(), s => Assert.True(s <= 1.01, $"a clipped layer has operator norm {s}"));
        var x = rand(4, 3, 32, 32);
        model.forward(x).sum().Plus(model.forward(x.flip(3)).sum()).backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Lipschitz_cnn_layers_are_clipped_to_operator_norm_1_once_the_power_iterations_have_converged()
    {
        using var model = (LipschitzCnn)new ModelSpec(ModelKind.LipschitzCnn).Create(1, 28, 10, seed: 5);
        Assert.Equal(["conv1_v", "conv2_v", "fc1_v", "fc2_v"], model.named_buffers().Select(b => b.name).Where(n => n.EndsWith("_v")).Order());
        using var scope = NewDisposeScope();
        // Grow the weights well past norm 1, so that clipping has to act, then let the power iterations converge.
        using (no_grad()) foreach (var p in model.parameters()) p.mul_(5);
        model.train();
        using (no_grad()) for (int i = 0; i < 300; i++) model.forward(rand(2, 1, 28, 28));
        Assert.All(model.SpectralNorms(), s => Assert.True(s > 1, $"σ̂ = {s}: the scaled weights should need clipping"));
        Assert.All(model.ClippedNorms(), s => Assert.True(s <= 1.001, $"a clipped layer has operator norm {s}"));

        // Two training forward passes before one backward (as AMUN's loss does) keep a valid graph.
        var x = rand(8, 1, 28, 28);
        model.forward(x).sum().add(model.forward(x.flip(3)).sum()).backward();

        // The power-iteration vectors are state: saved and loaded with the weights.
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"lipschitz-{Guid.NewGuid():N}.bin");
        try
        {
            model.save(path);
            using var loaded = (LipschitzCnn)new ModelSpec(ModelKind.LipschitzCnn).Create(1, 28, 10, seed: 6);
            loaded.load(path, strict: true);
            loaded.eval();
            using var noGrad = no_grad();
            Assert.True(loaded.forward(x).allclose(model.forward(x)), "a loaded copy must compute what the saved model computes");
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [MemberData(nameof(Architectures), DisableDiscoveryEnumeration = true)] // ModelSpec is not xUnit-serializable: rows are enumerated when the theory runs
    public void Forward_gives_logits_and_features_for_every_architecture(string name, ModelSpec spec, int channels, int size, int featureDim)
    {
        using var model = spec.Create(channels, size, 10, seed: 3);
        model.eval();
        using var scope = NewDisposeScope();
        var x = rand(4, channels, size, size);
        var logits = model.forward(x);
        var features = model.Features(x);
        Assert.Equal([4L, 10L], logits.shape);
        Assert.Equal([4L, (long)featureDim], features.shape);
        Assert.Equal(featureDim, model.FeatureDim);
        Assert.True(model.Head(features).allclose(logits), $"{name}: Head(Features(x)) must equal forward(x)");
    }

    [Theory]
    [MemberData(nameof(Architectures), DisableDiscoveryEnumeration = true)]
    public void Every_input_pixel_reaches_the_logits(string name, ModelSpec spec, int channels, int size, int featureDim)
    {
        // A pixel whose gradient is exactly zero for every input is invisible to the classifier, whatever its weights learn:
        // a trigger stamped there cannot implant. Random inputs and a random direction in logit space, summed over a batch,
        // leave no pixel at zero by chance; a structurally dead one (a pooling that drops a row) stays at exactly 0.
        _ = featureDim;
        using var scope = NewDisposeScope();
        var dead = nonzero(DeadPixels(spec, channels, size));
        var where = Enumerable.Range(0, (int)Math.Min(dead.shape[0], 6))
            .Select(i => $"({dead[i, 0].item<long>()}, {dead[i, 1].item<long>()})");
        Assert.True(dead.shape[0] == 0,
            $"{name} at {size}×{size}: {dead.shape[0]} of {size * size} input pixels never reach the logits, e.g. (row, column) {string.Join(", ", where)}");
    }

    /// <summary>[size, size], true where the gradient of a random logit direction over a random batch is exactly zero.</summary>
    private static Tensor DeadPixels(ModelSpec spec, int channels, int size)
    {
        using var model = spec.Create(channels, size, 10, seed: 3);
        model.eval();
        var x = randn(8, channels, size, size).requires_grad_(true);
        model.forward(x).mul(randn(8, 10)).sum().backward();
        return x.grad!.abs().sum([0L, 1L]).eq(0);
    }

    [Fact]
    public void ResNet9_matches_the_reference_layout()
    {
        using var model = new ModelSpec(ModelKind.ResNet9).Create(3, 32, 10, seed: 1);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([64L, 3, 3, 3], shapes["prep.conv.weight"]);
        Assert.Equal([128L, 64, 5, 5], shapes["layer1.conv.weight"]);
        Assert.True(shapes.ContainsKey("layer1.conv.bias"), "ResNet-9's convs carry a bias");
        Assert.Equal([128L, 128, 3, 3], shapes["res1.res2.conv.weight"]);
        Assert.Equal([256L, 128, 3, 3], shapes["layer2.conv.weight"]);
        Assert.Equal([128L, 256, 3, 3], shapes["layer3.conv.weight"]);
        Assert.Equal([10L, 128], shapes["linear.weight"]);
        Assert.False(shapes.ContainsKey("linear.bias"), "the classifier has no bias");
    }

    [Fact]
    public void Same_seed_builds_identical_weights_and_state_dict_keys_are_field_names()
    {
        using var a = ModelSpec.SmallCnn.Create(1, 28, 10, seed: 11);
        using var b = ModelSpec.SmallCnn.Create(1, 28, 10, seed: 11);
        using var c = ModelSpec.SmallCnn.Create(1, 28, 10, seed: 12);
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
            a.named_parameters().Select(p => p.name));
        Assert.All(a.parameters().Zip(b.parameters()), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
        Assert.False(a.parameters().First().allclose(c.parameters().First(), 0, 0));
    }
}
