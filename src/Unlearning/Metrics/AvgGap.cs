namespace Unlearning.Metrics;

/// <summary>The four numbers AMUN compares to the retrained model (§5.2), all in percent.</summary>
/// <param name="UnlearnAccuracy">Accuracy on D_F.</param>
/// <param name="RetainAccuracy">Accuracy on D_R.</param>
/// <param name="TestAccuracy">Accuracy on D_T.</param>
/// <param name="Mia">The membership score: RMIA's FT AUC (Tables 1–2) or MIS (Tables 10–11).</param>
public sealed record UnlearningMetrics(double UnlearnAccuracy, double RetainAccuracy, double TestAccuracy, double Mia)
{
    /// <summary>AMUN §5.2's Avg Gap: the mean of |Δ| of the four metrics against <paramref name="retrained"/> (percentage points).</summary>
    public double AvgGap(UnlearningMetrics retrained) =>
        (Math.Abs(UnlearnAccuracy - retrained.UnlearnAccuracy) + Math.Abs(RetainAccuracy - retrained.RetainAccuracy)
         + Math.Abs(TestAccuracy - retrained.TestAccuracy) + Math.Abs(Mia - retrained.Mia)) / 4;
}
