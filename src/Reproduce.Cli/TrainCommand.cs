using System.CommandLine;
using Spectre.Console;
using Unlearning;
using Unlearning.Data;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Reproduce.Cli;

/// <summary><c>reproduce train</c>: trains (or loads from the cache) one base model with a progress bar.</summary>
internal static class TrainCommand
{
    public static Command Build()
    {
        var cmd = new Command("train", "train the base model of a scale on a dataset (cached by scenario hash)");
        var scale = CommonOptions.Scale("smoke");
        var dataset = new Option<string>("--dataset") { Description = "mnist | fashion | cifar10", DefaultValueFactory = _ => "mnist" };
        var seed = CommonOptions.Seed();
        var data = CommonOptions.Data();
        var device = CommonOptions.Device();
        var noCache = new Option<bool>("--no-cache") { Description = "train even if a verified cached model exists" };
        foreach (var o in new Option[] { scale, dataset, seed, data, device, noCache }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var s = CommonOptions.ParseScale(r.GetValue(scale)!);
            var id = ParseDataset(r.GetValue(dataset)!);
            var scenario = ScaleProfile.For(s).BaseModel(s == Scale.Paper ? id : ScaleProfile.Embedded(id), r.GetValue(seed));
            var runner = new ScenarioRunner(new DataCatalog(DataOptions.Resolve(r.GetValue(data))),
                r.GetValue(noCache) ? new ModelCache(Path.Combine(Path.GetTempPath(), "reproduce-nocache-" + Guid.NewGuid().ToString("N"))) : ModelCache.Default(),
                TorchRuntime.ResolveDevice(r.GetValue(device)));
            AnsiConsole.MarkupLineInterpolated($"scenario [bold]{scenario.Name}[/] (hash {scenario.Hash}) · {TorchRuntime.Describe()}");
            var result = Train(runner, scenario);
            AnsiConsole.MarkupLineInterpolated($"{(result.FromCache ? "loaded from cache" : "trained")}: train accuracy [bold]{result.TrainAccuracy:P2}[/], test accuracy [bold]{result.TestAccuracy:P2}[/] ({result.Split.Train.Length} train / {result.Split.Test.Length} test)");
            var t = result.Training;
            AnsiConsole.MarkupLineInterpolated($"{t.Steps} steps in {t.Seconds:0.0} s, {t.ImagesPerSecond:0} images/s{(result.FromCache ? " (when it was trained)" : "")}");
            return 0;
        });
        return cmd;
    }

    public static DatasetId ParseDataset(string s) => s.Trim().ToLowerInvariant() switch
    {
        "mnist" => DatasetId.Mnist10k,
        "fashion" or "fashion-mnist" => DatasetId.FashionMnist10k,
        "mnist-full" => DatasetId.Mnist,
        "fashion-full" => DatasetId.FashionMnist,
        "cifar10" or "cifar-10" => DatasetId.Cifar10,
        _ => throw new CliException($"--dataset {s}: unknown dataset (mnist, fashion, mnist-full, fashion-full, cifar10)"),
    };

    /// <summary>Trains with a Spectre progress bar (epochs).</summary>
    public static TrainedBase Train(ScenarioRunner runner, Scenario scenario)
    {
        TrainedBase? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{scenario.Name}", maxValue: scenario.Training.Epochs);
                var progress = new SyncProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Epoch - 1 + (double)p.Step / p.StepsPerEpoch;
                    task.Description = $"{scenario.Name} epoch {p.Epoch}/{p.Epochs} loss {p.MeanLoss:0.0000}";
                });
                result = runner.TrainBase(scenario, progress, log: m => AnsiConsole.MarkupLineInterpolated($"[yellow]{m}[/]"));
                task.Value = task.MaxValue;
            });
        return result!;
    }
}
