using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Poisoning;
using Unlearning.Training;

namespace Unlearning.Metrics;

/// <summary>How a poisoned model behaves on clean and triggered test data.</summary>
/// <param name="CleanAccuracy">Accuracy on the clean test set.</param>
/// <param name="TriggeredAccuracy">Accuracy on the test set with the trigger stamped on every image, against the clean labels.</param>
/// <param name="AttackSuccess">Share of triggered test images of other classes predicted as the target class.</param>
/// <param name="CleanCorrect">Per clean test image: predicted its label.</param>
/// <param name="TriggeredCorrect">Per triggered test image: predicted its clean label.</param>
public sealed record PoisonEvaluation(double CleanAccuracy, double TriggeredAccuracy, double AttackSuccess, bool[] CleanCorrect, bool[] TriggeredCorrect);

/// <summary>
/// Potion's metrics (Table 1). Poison healed = 100 · Acc_trig(model) / Acc_trig(M_clean), where M_clean is retrained with
/// all poison removed (so 100 means "behaves on triggered images like a model that never saw poison"). Model damage =
/// 100 · (Acc_clean(model) − Acc_clean(starting model)), in percentage points (negative = damage).
/// </summary>
public static class PoisonMetrics
{
    /// <summary>Evaluates clean accuracy, triggered accuracy and attack success on <paramref name="test"/>.</summary>
    public static PoisonEvaluation Evaluate(ImageClassifier model, ImageDataset data, IReadOnlyList<int> test, PoisonPlan plan, Evaluator evaluator)
    {
        var clean = evaluator.Evaluate(model, data, test);
        var triggered = evaluator.Evaluate(model, data, test, transform: plan.TriggeredTestTransform());
        int others = 0, redirected = 0;
        for (int i = 0; i < triggered.Labels.Length; i++)
        {
            if (triggered.Labels[i] == plan.TargetClass) continue;
            others++;
            if (triggered.Predicted[i] == plan.TargetClass) redirected++;
        }
        return new PoisonEvaluation(clean.Accuracy, triggered.Accuracy, others == 0 ? double.NaN : (double)redirected / others, clean.Correct, triggered.Correct);
    }

    /// <summary>Poison healed, in percent of the clean model's triggered accuracy.</summary>
    public static double Healed(PoisonEvaluation model, PoisonEvaluation clean) => 100 * model.TriggeredAccuracy / clean.TriggeredAccuracy;

    /// <summary>Model damage in percentage points of clean accuracy (negative = worse than the starting model).</summary>
    public static double Damage(PoisonEvaluation model, PoisonEvaluation start) => 100 * (model.CleanAccuracy - start.CleanAccuracy);
}
