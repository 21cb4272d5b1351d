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

    private static (int Exit, string Out) Cli(params string[] args)
    {
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        string dll = Repo.At("src", "Reproduce.Cli", "bin", config, "net10.0", "reproduce.dll");
        Assert.True(File.Exists(dll), $"the CLI is not built at {dll}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "300";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the CLI did not finish in 2 minutes");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["run", "--claim", "P.nope"], "unknown claim 'P.nope'" },
        { ["run", "--paper", "Nope"], "--paper Nope: no such paper" },
        { ["run", "--data", "/nonexistent/data"], "--data /nonexistent/data: directory does not exist" },
        { ["run", "--shard", "5/4"], "--shard 5/4: expected i/n" },
        { ["run", "--shard", "x"], "--shard x: expected i/n" },
        { ["run", "--scale", "huge"], "huge" },
        { ["report", "--from", "/nonexistent/results.json"], "--from /nonexistent/results.json: no such file" },
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
}
