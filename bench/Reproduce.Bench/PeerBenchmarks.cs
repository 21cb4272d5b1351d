using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Unlearning;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Reproduce.Bench;

/// <summary>One cold run, in-process: for the end-to-end comparisons that take minutes per operation.</summary>
public sealed class OneColdRun : ManualConfig
{
    public OneColdRun() => AddJob(ColdRuns.Job(1, new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true)));
}

/// <summary>
/// The harness against what a researcher would otherwise write: the ci Potion scenario end to end — the BadNet-poisoned
/// SmallCnn (ceil-mode poolings) and its clean counterpart trained for 10 epochs on 7,200 MNIST digits, PTN-SSD, PTN-LF and PTN-XLF with
/// S_f = 10% of S_m, and EU (retraining on S_tr ∖ S_f) — once through this library (nothing read from a model cache) and
/// once as the PyTorch script <c>bench/peer/potion_peer.py</c> on Debian's <c>python3-torch</c> (installed by
/// <c>bench/peer/setup.sh</c>), with the same thread count. Goal: the harness at least 1.5× faster end to end, with
/// equal results within seed noise (both sides' metrics are written next to BenchmarkDotNet's results and compared
/// in the summary).
/// </summary>
[Config(typeof(OneColdRun))]
public class PeerBenchmarks
{
    /// <summary>The interpreter that sees Debian's python3-torch (PYTHON overrides it).</summary>
    private static readonly string Python = Environment.GetEnvironmentVariable("PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    private string _repo = null!;
    private string _results = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        _repo = RepositoryRoot();
        _results = ResultsDirectory();
        var check = RunProcess(Python, ["-c", "import torch; print(torch.__version__)"], echo: false);
        if (check.ExitCode != 0)
            throw new InvalidOperationException($"{Python} with torch is not available ({check.Error.Trim()}); run `bash {Path.Combine(_repo, "bench", "peer", "setup.sh")}` first (it installs Debian's python3-torch)");
    }

    [Benchmark(Baseline = true, Description = "PyTorch peer script (python3-torch)")]
    public int Peer()
    {
        string output = Path.Combine(_results, "peer-potion.json");
        var run = RunProcess(Python, [Path.Combine(_repo, "bench", "peer", "potion_peer.py"), "--threads", TorchRuntime.EnsureInitialized().ToString(CultureInfo.InvariantCulture),
            "--data", Path.Combine(Fixtures.Directory, "mnist"), "--out", output], echo: true);
        if (run.ExitCode != 0) throw new InvalidOperationException($"the peer script failed (exit {run.ExitCode}): {run.Error.Trim()}");
        return run.ExitCode;
    }

    [Benchmark(Description = "harness (this library)"), Goal("harness vs PyTorch peer", "≤", 1 / 1.5, "–")]
    public int Harness()
    {
        var scratch = Directory.CreateTempSubdirectory("repro-peer-cache-");
        try
        {
            var clock = Stopwatch.StartNew();
            var runner = new ScenarioRunner(new DataCatalog(DataOptions.Resolve()), new ModelCache(scratch.FullName), TorchRuntime.ResolveDevice());
            var b = PoisonScenarios.Train(runner, PoisonScenario.Ci(), log: Console.WriteLine);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            try
            {
                var identified = Discovery.Share(0.1).Identify(b.Plan);
                var rows = PotionExperiment.Run(runner, b, identified, PotionExperiment.SsdFamily(b).Where(m => m is PtnUnlearner)).ToList();
                rows.Add(PotionExperiment.ExactUnlearning(runner, b, identified));
                var json = new JsonObject
                {
                    ["poisoned"] = Metrics(b.PoisonedEval, null),
                    ["clean"] = Metrics(b.CleanEval, null),
                    ["train_seconds"] = trainSeconds,
                    ["total_seconds"] = clock.Elapsed.TotalSeconds,
                    ["threads"] = TorchRuntime.EnsureInitialized(),
                };
                foreach (var row in rows) json[row.Method] = Metrics(row.Evaluation, row);
                AtomicFile.WriteAllText(Path.Combine(_results, "harness-potion.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return rows.Count;
            }
            finally
            {
                b.Poisoned.Dispose();
                b.Clean.Dispose();
            }
        }
        finally { scratch.Delete(recursive: true); }
    }

    private static JsonObject Metrics(Unlearning.Metrics.PoisonEvaluation e, PotionRow? row)
    {
        var o = new JsonObject
        {
            ["clean_acc"] = 100 * e.CleanAccuracy,
            ["triggered_acc"] = 100 * e.TriggeredAccuracy,
            ["attack_success"] = 100 * e.AttackSuccess,
        };
        if (row != null)
        {
            o["healed"] = row.Healed;
            o["seconds"] = row.Seconds;
        }
        return o;
    }

    /// <summary>
    /// The two sides' metrics side by side (percent), from the files the last run wrote; nothing when either is missing.
    /// "Within seed noise" is judged against two binomial standard errors of a 2,000-image test set (≈ 1–2 points).
    /// </summary>
    public static void CompareResults(TextWriter console)
    {
        string dir = ResultsDirectory();
        string harnessPath = Path.Combine(dir, "harness-potion.json"), peerPath = Path.Combine(dir, "peer-potion.json");
        if (!File.Exists(harnessPath) || !File.Exists(peerPath)) return;
        var harness = JsonNode.Parse(File.ReadAllText(harnessPath))!.AsObject();
        var peer = JsonNode.Parse(File.ReadAllText(peerPath))!.AsObject();
        var text = new StringBuilder();
        text.AppendLine().AppendLine("## Harness vs PyTorch peer: results (percent, ci Potion scenario, S_f = 10% of S_m)").AppendLine();
        text.AppendLine("| model | metric | harness | peer | |Δ| | 2 SE |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (string model in new[] { "poisoned", "clean", "PTN-SSD", "PTN-LF", "PTN-XLF", "EU" })
        {
            if (harness[model] is not JsonObject h || peer[model] is not JsonObject p) continue;
            foreach (string metric in new[] { "clean_acc", "triggered_acc", "attack_success", "healed" })
            {
                if (h[metric] is null || p[metric] is null) continue;
                double a = h[metric]!.GetValue<double>(), c = p[metric]!.GetValue<double>();
                double q = Math.Clamp(a / 100, 0.01, 0.99), se = 2 * 100 * Math.Sqrt(2 * q * (1 - q) / 2000);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {model} | {metric} | {a:0.00} | {c:0.00} | {Math.Abs(a - c):0.00} | {se:0.00} |");
            }
        }
        text.AppendLine().AppendLine("2 SE: two binomial standard errors of the difference on the 2,000 test images — the test set's sampling noise only. " +
            "The two sides draw their split, S_m and initial weights from different generators, and a backdoor at 2% poison implants with a " +
            "strength that varies from draw to draw, so the poisoned and EU models' attack success differ by more than that between any two seeds.");
        text.AppendLine(CultureInfo.InvariantCulture, $"\nEnd to end (wall time inside each side): harness {Seconds(harness, "total_seconds")}, peer {Seconds(peer, "total_seconds")}.");
        console.Write(text.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, "peer-comparison.md"), text.ToString());
    }

    private static string Seconds(JsonObject o, string key) => o[key] is { } v ? $"{v.GetValue<double>():0.0} s" : "?";

    private static string ResultsDirectory()
    {
        string dir = Path.GetFullPath(Path.Combine("BenchmarkDotNet.Artifacts", "results"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The repository root: the first ancestor of the build output that holds <c>bench/peer/potion_peer.py</c>.</summary>
    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "bench", "peer", "potion_peer.py"))) return d.FullName;
        throw new FileNotFoundException($"bench/peer/potion_peer.py not found above {AppContext.BaseDirectory}");
    }

    private sealed record ProcessResult(int ExitCode, string Error);

    private static ProcessResult RunProcess(string file, string[] args, bool echo)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}"); }
        catch (System.ComponentModel.Win32Exception e) { return new ProcessResult(127, $"{file}: {e.Message}"); }
        using (process)
        {
            var error = new StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (error) error.AppendLine(e.Data);
                if (echo) Console.WriteLine("  peer: " + e.Data);
            };
            process.BeginErrorReadLine();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string tail;
            lock (error) tail = string.Join('\n', error.ToString().Split('\n').TakeLast(5));
            return new ProcessResult(process.ExitCode, tail);
        }
    }
}
