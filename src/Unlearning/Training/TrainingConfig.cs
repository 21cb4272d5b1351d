using System.Text.Json.Serialization;

namespace Unlearning.Training;

/// <summary>Optimiser family.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum and weight decay.</summary>
    Sgd,
    /// <summary>Adam (weight decay as L2 in the gradient).</summary>
    Adam,
}

/// <summary>Learning-rate schedule, evaluated per step.</summary>
public enum ScheduleKind
{
    /// <summary>Constant learning rate.</summary>
    Constant,
    /// <summary>StepLR: multiply by <see cref="TrainingConfig.StepGamma"/> every <see cref="TrainingConfig.StepEveryEpochs"/> epochs.</summary>
    Step,
    /// <summary>Linear warm-up over <see cref="TrainingConfig.WarmupFraction"/> of the steps, then linear decay to 0 (Potion reference).</summary>
    WarmupLinear,
}

/// <summary>
/// Everything that defines a training run besides the data, the model and the seed. <see cref="Augment"/> (null: none)
/// is left out of the scenario hash when null, so adding it kept the keys of every unaugmented scenario; so is
/// <see cref="Limits"/> (null: no cap), so a dry run's capped models never share a cache key with real ones.
/// </summary>
public sealed record TrainingConfig(
    int Epochs,
    int BatchSize,
    OptimizerKind Optimizer,
    double LearningRate,
    double Momentum = 0.9,
    double WeightDecay = 0.0,
    ScheduleKind Schedule = ScheduleKind.Constant,
    int StepEveryEpochs = 0,
    double StepGamma = 0.1,
    double WarmupFraction = 0.01,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Augmentation? Augment = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IterationLimits? Limits = null)
{
    /// <summary>Adam, lr 1e-3 — the Healing paper's optimiser (its §5) and the ci base model's.</summary>
    public static TrainingConfig Adam(int epochs, int batchSize = 128, double lr = 1e-3) => new(epochs, batchSize, OptimizerKind.Adam, lr, Momentum: 0);

    /// <summary>Throws <see cref="ArgumentException"/> on a value that would make training meaningless.</summary>
    public TrainingConfig Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"Epochs = {Epochs} must be ≥ 0", nameof(Epochs));
        if (BatchSize <= 0) throw new ArgumentException($"BatchSize = {BatchSize} must be positive", nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"LearningRate = {LearningRate} must be a positive number", nameof(LearningRate));
        if (Schedule == ScheduleKind.Step && StepEveryEpochs <= 0) throw new ArgumentException("a Step schedule needs StepEveryEpochs > 0", nameof(StepEveryEpochs));
        Augment?.Validate();
        Limits?.Validate();
        return this;
    }

    /// <summary>Learning rate at global step <paramref name="step"/> of <paramref name="totalSteps"/> (epoch = step / stepsPerEpoch).</summary>
    public double LearningRateAt(int step, int totalSteps, int stepsPerEpoch) => Schedule switch
    {
        ScheduleKind.Constant => LearningRate,
        ScheduleKind.Step => LearningRate * Math.Pow(StepGamma, step / Math.Max(1, stepsPerEpoch) / StepEveryEpochs),
        ScheduleKind.WarmupLinear => WarmupLinear(step, totalSteps),
        _ => throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "unknown schedule"),
    };

    private double WarmupLinear(int step, int totalSteps)
    {
        int warm = Math.Max(1, (int)Math.Round(WarmupFraction * totalSteps));
        if (step < warm) return LearningRate * (step + 1) / warm;
        return LearningRate * Math.Max(0, totalSteps - step) / Math.Max(1, totalSteps - warm);
    }
}
