using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// A first-order optimiser over a fixed list of parameters, written so that every <see cref="Scalar"/> it hands to
/// libtorch is owned: created once (the fixed coefficients) or once per step (those that depend on the learning rate
/// or the step count), kept alive across the native calls that read it, and disposed. TorchSharp's managed optimisers
/// pass coefficients as implicitly converted Scalars that only the garbage collector frees; a collection that runs
/// while libtorch still reads one fails the step at random ("Expected false to be true" from <c>Scalar::toFloat</c>).
/// The update rules and their order of operations are torch.optim's, so results are bitwise the same.
/// </summary>
public abstract class ParameterOptimizer : IDisposable
{
    private bool _disposed;

    /// <summary>Takes the parameters to update (typically <c>model.parameters()</c>).</summary>
    protected ParameterOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("an optimiser needs at least one parameter", nameof(parameters));
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimiser updates.</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters { get; }

    /// <summary>The learning rate the next <see cref="Step"/> uses (a schedule sets it before each step).</summary>
    public double LearningRate
    {
        get;
        set => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"learning rate {value} must be a positive number", nameof(LearningRate));
    }

    /// <summary>Builds the optimiser a training config asks for.</summary>
    public static ParameterOptimizer Create(nn.Module model, TrainingConfig config) => config.Optimizer switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(model.parameters(), config.LearningRate, config.Momentum, config.WeightDecay),
        OptimizerKind.Adam => new AdamOptimizer(model.parameters(), config.LearningRate, weightDecay: config.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, "unknown optimiser"),
    };

    /// <summary>Zeroes every existing gradient in place (as torch.optim's <c>zero_grad</c> for managed optimisers).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var p in Parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient, without recording it for autograd.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Update();
    }

    /// <summary>The update rule; runs under <c>no_grad</c> inside a dispose scope, so temporaries need no care.</summary>
    protected abstract void Update();

    /// <summary>Releases the optimiser's state tensors and fixed Scalars.</summary>
    protected abstract void ReleaseState();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseState();
        GC.SuppressFinalize(this);
    }
}
