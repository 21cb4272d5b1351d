using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Unlearning;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Reproduce.Cli;

/// <summary>
/// <c>reproduce run</c>: the main job. Trains (or loads) the base models of the chosen scale on the embedded data,
/// runs the claims this build implements, and writes report.md, results.json and results.csv to --out.
/// </summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var cmd = new Command("run", "reproduce the claims at a scale and write the report (artifacts/report.md)");
        var scale = CommonOptions.Scale("ci");
        var data = CommonOptions.Data();
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var outDir = new Option<string>("--out") { Description = "output directory", DefaultValueFactory = _ => "artifacts" };
        foreach (var o in new Option[] { scale, data, device, seed, outDir }) cmd.Options.Add(o);
        cmd.SetAction(r => Run(CommonOptions.ParseScale(r.GetValue(scale)!), r.GetValue(data), r.GetValue(device), r.GetValue(seed), r.GetValue(outDir)!));
        return cmd;
    }

    private static int Run(Scale scale, string? dataRoot, string? deviceSetting, long seed, string outDir)
    {
        CommonOptions.CheckDataRoot(dataRoot);
        PrepareOutput(outDir);
        var started = DateTime.UtcNow;
        var catalog = new DataCatalog(DataOptions.Resolve(dataRoot));
        var device = TorchRuntime.ResolveDevice(deviceSetting);
        var runner = new ScenarioRunner(catalog, ModelCache.Default(), device);
        AnsiConsole.MarkupLineInterpolated($"[bold]reproduce run[/] · scale {scale} · {TorchRuntime.Describe()} · out {Path.GetFullPath(outDir)}");

        var datasets = scale == Scale.Paper ? new[] { DatasetId.Mnist, DatasetId.FashionMnist } : new[] { DatasetId.Mnist10k, DatasetId.FashionMnist10k };
        var bases = new List<BaseModelResult>();
        var claims = new List<ClaimResult>();
        foreach (var id in datasets)
        {
            var scenario = ScalePresets.BaseModel(scale, id, seed);
            var clock = Stopwatch.StartNew();
            var t = TrainCommand.Train(runner, scenario);
            bases.Add(new BaseModelResult(scenario.Name, scenario.Hash, t.Data.Name, scenario.Model.Kind.ToString(), t.Split.Train.Length, t.Split.Test.Length,
                t.TrainAccuracy, t.TestAccuracy, t.FromCache, t.Training.Seconds, t.Training.ImagesPerSecond, t.Training.EpochLosses));
            if (id is DatasetId.Mnist10k or DatasetId.Mnist)
                claims.Add(new ClaimResult("H.T1.acc", "MNIST CNN baseline (no SISA)", Verdicts.NeedsPaperScale,
                    PaperTable.Format(PaperTable.Load("healing/table1").Value("accuracy", ("dataset", "MNIST"), ("method", "Baseline"))), t.TestAccuracy.ToString("0.0000", CultureInfo.InvariantCulture), scale.ToString().ToLowerInvariant(), seed.ToString(CultureInfo.InvariantCulture),
                    clock.Elapsed.TotalSeconds, $"{t.Data.Name}, {t.Split.Train.Length} train / {t.Split.Test.Length} test; the SISA column needs the Healing suite"));
        }
        var files = Enum.GetValues<DatasetId>().Select(catalog.Check).Where(s => s.Present).SelectMany(s => s.Files).ToList();
        var env = new RunEnvironment(TorchRuntime.Describe(), $".NET {Environment.Version}", System.Runtime.InteropServices.RuntimeInformation.OSDescription, device.ToString(), files, started);
        var results = new RunResults(env, bases, claims);
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.json"), results.ToJson());
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.csv"), MarkdownReport.Csv(results));
        var figures = new Dictionary<string, string>();
        var curves = bases.Where(b => b.EpochLosses.Count > 0)
            .Select(b => new Series(b.Dataset, Enumerable.Range(1, b.EpochLosses.Count).Select(e => (double)e).ToArray(), b.EpochLosses.ToArray())).ToList();
        if (curves.Count > 0)
        {
            Directory.CreateDirectory(Path.Combine(outDir, "figures"));
            Figures.Lines(Path.Combine(outDir, "figures", "base-training-loss.png"), $"Base models ({scale.ToString().ToLowerInvariant()} scale): training loss", "epoch", "mean cross-entropy", curves);
            figures["Training loss of the base models per epoch"] = "figures/base-training-loss.png";
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), MarkdownReport.Render(results, figures));
        foreach (var b in bases)
            AnsiConsole.MarkupLineInterpolated($"{b.Scenario}: test accuracy [bold]{b.TestAccuracy:P2}[/] (train {b.TrainAccuracy:P2}){(b.FromCache ? ", model from the cache" : "")}");
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{Path.Combine(outDir, "report.md")}[/], results.json, results.csv");
        return 0;
    }

    private static void PrepareOutput(string outDir)
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
