using Reproduce.Tests.Support;
using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

/// <summary>
/// The harness's optimisers own their Scalars; these tests pin that they are torch.optim's rules exactly: the same
/// model, batches and settings give bitwise-identical parameters after several steps.
/// </summary>
public class OptimizerTests
{
    public static TheoryData<string, TrainingConfig> Configs() => new()
    {
        { "SGD, momentum 0.9, weight decay 5e-4", new TrainingConfig(1, 32, OptimizerKind.Sgd, 0.05, Momentum: 0.9, WeightDecay: 5e-4) },
        { "SGD, no momentum", new TrainingConfig(1, 32, OptimizerKind.Sgd, 0.1, Momentum: 0) },
        { "Adam", TrainingConfig.Adam(1, 32) },
        { "Adam, weight decay 1e-3", TrainingConfig.Adam(1, 32) with { WeightDecay = 1e-3 } },
    };

    [Theory, Scale("unit"), MemberData(nameof(Configs), DisableDiscoveryEnumeration = true)] // a record is not xUnit-serializable: rows are enumerated when the theory runs
    public void Steps_equal_torch_optim_bitwise(string name, TrainingConfig config)
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var ours = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        using var reference = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        using var optimizer = ParameterOptimizer.Create(ours, config);
        using optim.Optimizer torchOptimizer = config.Optimizer == OptimizerKind.Sgd
            ? optim.SGD(reference.parameters(), config.LearningRate, momentum: config.Momentum, weight_decay: config.WeightDecay)
            : optim.Adam(reference.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
        ours.train();
        reference.train();
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            double lr = config.LearningRate * (1 - 0.1 * step); // a schedule changes the rate between steps
            optimizer.LearningRate = lr;
            foreach (var group in torchOptimizer.ParamGroups) group.LearningRate = lr;
            var (x, y) = data.Batch(Enumerable.Range(step * 32, 32).ToArray());
            optimizer.ZeroGrad();
            nn.functional.cross_entropy(ours.forward(x), y).backward();
            optimizer.Step();
            torchOptimizer.zero_grad();
            nn.functional.cross_entropy(reference.forward(x), y).backward();
            torchOptimizer.step();
        }
        var a = ours.named_parameters().ToArray();
        var b = reference.named_parameters().ToArray();
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(a[i].parameter.eq(b[i].parameter).all().item<bool>(), $"{name}: parameter {a[i].name} differs from torch.optim's after 6 steps");
        using var initial = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        Assert.False(a[0].parameter.eq(initial.named_parameters().First().parameter).all().item<bool>(), "the steps must move the parameters");
    }

    [Fact, Scale("unit")]
    public void Bad_settings_and_use_after_dispose_are_refused()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        Assert.Throws<ArgumentException>(() => new SgdOptimizer(model.parameters(), 0.1, momentum: -1));
        Assert.Throws<ArgumentException>(() => new AdamOptimizer(model.parameters(), 0.1, beta1: 1));
        Assert.Throws<ArgumentException>(() => new SgdOptimizer([], 0.1));
        var sgd = new SgdOptimizer(model.parameters(), 0.1);
        Assert.Throws<ArgumentException>(() => sgd.LearningRate = double.NaN);
        sgd.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sgd.Step());
    }
}
