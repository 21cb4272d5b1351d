using System.CommandLine;
using Unlearning.Scenarios;

namespace Reproduce.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data") { Description = "data root holding mnist/, fashion-mnist/, cifar-10-batches-bin/ (default: REPRO_DATA)" };

    public static Option<string> Scale(string fallback) => new("--scale")
    {
        Description = "smoke | ci | paper",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ScaleSetting.Variable) is { Length: > 0 } s ? s : fallback,
    };

    public static Option<string?> Device() => new("--device") { Description = "cpu (default) | cuda | cuda:N | auto (default: REPRO_DEVICE)" };

    public static Option<long> Seed() => new("--seed") { Description = "scenario seed", DefaultValueFactory = _ => ScaleProfile.DefaultSeed };

    public static Scale ParseScale(string s)
    {
        try { return ScaleSetting.Parse(s); }
        catch (ArgumentException e) { throw new CliException(e.Message); }
    }

    public static string CheckDataRoot(string? data)
    {
        if (data != null && !Directory.Exists(data)) throw new CliException($"--data {data}: directory does not exist");
        return data ?? "";
    }

    /// <summary>Checks a --paper / --claim selection: an unknown claim id names close ones, an unknown paper lists the papers.</summary>
    public static void CheckSelection(string? paper, string? claimId)
    {
        if (claimId != null) Unlearning.Claims.ClaimCatalog.Get(claimId);
        if (paper != null && !Unlearning.Claims.ClaimCatalog.All.Any(c => c.Paper.Equals(paper, StringComparison.OrdinalIgnoreCase)))
            throw new CliException($"--paper {paper}: no such paper (Healing, AMUN, Potion)");
    }

    public static Option<string> Out() => new("--out") { Description = "output directory", DefaultValueFactory = _ => "artifacts" };

    /// <summary>Creates <paramref name="outDir"/> and proves it writable, or one clear error.</summary>
    public static void PrepareOutput(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
            string probe = Path.Combine(outDir, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out {outDir}: cannot write there ({e.Message})");
        }
    }
}
