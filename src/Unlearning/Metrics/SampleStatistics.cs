namespace Unlearning.Metrics;

/// <summary>The spread the tables report beside a mean: the sample standard deviation over runs or scenarios.</summary>
public static class SampleStatistics
{
    /// <summary>Sample standard deviation (n − 1) of <paramref name="values"/>; 0 for fewer than two values.</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
