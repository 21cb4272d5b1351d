using System.Diagnostics;
using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>
/// The CLI as a user meets it, run as a process: bad arguments end with one line naming the problem and exit code 2,
/// never a stack trace; <c>report</c> and <c>merge</c> re-render from results files without recomputing.
/// </summary>
[Scale("unit")]
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("repro-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out) Cli(params string[] args) => CliWith([], args);

    private static (int Exit, string Out) CliWith(Dictionary<string, string> environment, params string[] args)
    {
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        string dll = Repo.At("src", "Reproduce.Cli", "bin", config, "net10.0", "reproduce.dll");
        Assert.True(File.Exists(dll), $"the CLI is not built at {dll}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "300";
        psi.Environment["DOTNET_DbgEnableMiniDump"] = "0"; // a deliberate crash must not leave a dump behind (the test run's crash collector sets it)
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the CLI did not finish in 2 minutes");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The output with Spectre's line wrapping (at the width it assumes when output is redirected) undone.</summary>
    private static string Unwrapped(string output) => System.Text.RegularExpressions.Regex.Replace(output, @"\s*\n\s*", " ");

    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["run", "--claim", "P.nope"], "unknown claim 'P.nope'" },
        { ["run", "--paper", "Nope"], "--paper Nope: no such paper" },
        { ["run", "--data", "/nonexistent/data"], "--data /nonexistent/data: directory does not exist" },
        { ["run", "--shard", "5/4"], "--shard 5/4: expected i/n" },
        { ["run", "--shard", "x"], "--shard x: expected i/n" },
        { ["run", "--scale", "huge"], "huge" },
        { ["report", "--from", "/nonexistent/results.json"], "--from /nonexistent/results.json: no such file" },
        { ["pin", "--seeds", "1"], "--seeds 1: a spread needs at least 2 seeds" },
        { ["pin", "--snapshots", "/nonexistent/store"], "--snapshots /nonexistent/store: no ci/ folder of verified files there" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_end_with_one_line_and_exit_code_2(string[] args, string message)
    {
        var (exit, output) = Cli(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }

    [Fact]
    public void An_unwritable_out_directory_is_refused_before_any_work()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        var (exit, output) = Cli("run", "--claim", "H.T1.acc", "--out", Path.Combine(file, "sub"));
        Assert.Equal(2, exit);
        Assert.Contains("cannot write there", output);
    }

    [Fact]
    public void Report_rerenders_and_merge_joins_results_files_and_a_corrupt_one_is_named()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b"), merged = Path.Combine(_dir, "m");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        var env = new Unlearning.Reporting.RunEnvironment("torch", ".NET", "os", "cpu", [], DateTime.UnixEpoch);
        File.WriteAllText(Path.Combine(a, "results.json"), new Unlearning.Reporting.RunResults(env, [],
            [new("P.T1.order", "v1", "reproduced", "", "x", "ci", "1", 1, "")]).ToJson());
        File.WriteAllText(Path.Combine(b, "results.json"), new Unlearning.Reporting.RunResults(env, [],
            [new("P.T8.step", "v2", "deviates", "", "y", "ci", "1", 1, "why")]).ToJson());
        Assert.Equal(0, Cli("report", "--from", Path.Combine(a, "results.json")).Exit);
        Assert.Contains("| P.T1.order · v1 |", File.ReadAllText(Path.Combine(a, "report.md")));
        Assert.Equal(0, Cli("merge", a, b, "--out", merged).Exit);
        string md = File.ReadAllText(Path.Combine(merged, "report.md"));
        Assert.Contains("| P.T1.order · v1 |", md);
        Assert.Contains("| P.T8.step · v2 |", md);
        File.WriteAllText(Path.Combine(b, "results.json"), "{ not json");
        var (exit, output) = Cli("merge", a, b, "--out", merged);
        Assert.Equal(2, exit);
        Assert.Contains("results.json: not a results file", output);
    }

    [Fact]
    public void A_crash_inside_a_variant_costs_that_variant_and_the_run_goes_on()
    {
        // The worker aborts (SIGABRT, as libtorch does) whenever it reaches the first variant: the supervisor tries it
        // once more in a new process, then records it as crashed and finishes the other variant.
        string outDir = Path.Combine(_dir, "out");
        // A stale row from an older run: --fresh must drop it, in the worker restarted after the crash too.
        Directory.CreateDirectory(outDir);
        var env = new Unlearning.Reporting.RunEnvironment("torch", ".NET", "os", "cpu", [], DateTime.UnixEpoch);
        File.WriteAllText(Path.Combine(outDir, "results.json"), new Unlearning.Reporting.RunResults(env, [],
            [new("H.T1.acc", "Fashion-MNIST CNN baseline (stands in for CIFAR-10)", "reproduced", "", "stale", "smoke", "1", 1, "stale")]).ToJson());
        var (exit, output) = CliWith(new() { ["REPRO_TEST_ABORT_AT"] = "H.T1.acc|MNIST CNN baseline" },
            "run", "--scale", "smoke", "--claim", "H.T1.acc", "--out", outDir, "--fresh");
        output = Unwrapped(output);
        Assert.Equal(1, exit);
        Assert.Contains("H.T1.acc · MNIST CNN baseline: the process ended with exit code 134 (SIGABRT", output);
        Assert.Contains("trying this variant once more in a new process", output);
        Assert.Contains("recorded as crashed; going on with the next variant", output);
        var rows = Unlearning.Reporting.RunResults.TryRead(Path.Combine(outDir, "results.json"))!.Claims;
        var crashed = Assert.Single(rows, r => r.Variant == "MNIST CNN baseline");
        Assert.Equal("skipped", crashed.Verdict);
        Assert.StartsWith("crashed: the process ended with exit code 134", crashed.Note);
        var other = Assert.Single(rows, r => r.Variant.StartsWith("Fashion-MNIST", StringComparison.Ordinal));
        Assert.NotEqual("skipped", other.Verdict);
        Assert.NotEqual("stale", other.Note);
        Assert.False(File.Exists(Path.Combine(outDir, ".running")), "the crash marker outlived the run");
        Assert.Contains("crashed: the process ended with exit code 134", File.ReadAllText(Path.Combine(outDir, "report.md")));

        // Run again without the fault: the crashed variant is retried, the finished one kept.
        (exit, output) = Cli("run", "--scale", "smoke", "--claim", "H.T1.acc", "--out", outDir);
        Assert.Equal(0, exit);
        Assert.Contains("finished earlier, kept", Unwrapped(output));
        rows = Unlearning.Reporting.RunResults.TryRead(Path.Combine(outDir, "results.json"))!.Claims;
        Assert.All(rows, r => Assert.NotEqual("skipped", r.Verdict));
    }
}
