namespace Unlearning.Scenarios;

/// <summary>One scenario type, three sizes (CLAIMS.md): seconds-long smoke, the ci default, the papers' scale.</summary>
public enum Scale
{
    /// <summary>≤ 2,000 samples, 1–2 epochs: unit tests and quick loops.</summary>
    Smoke,
    /// <summary>Real embedded data, small models, a few epochs: every claim on 2 CPU cores (the README gives the measured times).</summary>
    Ci,
    /// <summary>The papers' datasets, architectures, epochs and repetitions; needs the full data and in practice a GPU.</summary>
    Paper,
}

/// <summary>Reads the scale setting.</summary>
public static class ScaleSetting
{
    /// <summary>Environment variable choosing the scale (set by runsettings.xml / paper.runsettings).</summary>
    public const string Variable = "REPRO_SCALE";

    /// <summary>Parses "smoke", "ci" or "paper" (case-insensitive).</summary>
    public static Scale Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "smoke" => Scale.Smoke,
        "ci" => Scale.Ci,
        "paper" => Scale.Paper,
        _ => throw new ArgumentException($"unknown scale '{value}' (expected smoke, ci or paper)", nameof(value)),
    };

    /// <summary>The scale from <c>REPRO_SCALE</c>, default <see cref="Scale.Ci"/>.</summary>
    public static Scale FromEnvironment()
    {
        string? v = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(v) ? Scale.Ci : Parse(v);
    }
}
