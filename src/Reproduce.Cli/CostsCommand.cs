using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Unlearning.Training;

namespace Reproduce.Cli;

/// <summary><c>reproduce costs</c>: where a run's training time went, from the model cache's manifests.</summary>
internal static class CostsCommand
{
    public static Command Build()
    {
        var cmd = new Command("costs", "list the trainings in a model cache by the time they took (a cold run's cache attributes its training time)");
        var cache = new Option<string?>("--cache") { Description = "model cache directory (default: REPRO_CACHE, else .cache/models in the repository)" };
        var top = new Option<int>("--top") { Description = "rows to show (0: all)", DefaultValueFactory = _ => 10 };
        cmd.Options.Add(cache);
        cmd.Options.Add(top);
        cmd.SetAction(r =>
        {
            int n = r.GetValue(top);
            if (n < 0) throw new CliException($"--top {n}: must be 0 or more");
            string dir = r.GetValue(cache) is { Length: > 0 } d ? Path.GetFullPath(d) : ModelCache.Default().Directory;
            var costs = TrainingCosts.Read(dir);
            double total = costs.Sum(c => c.Seconds);
            string[] header = ["scenario", "model", "epochs", "train images", "models", "seconds", "share", "images/s"];
            var rows = (n == 0 ? costs : costs.Take(n)).Select(c => new[]
            {
                c.Scenario, c.Model, F(c.Epochs), c.TrainImages < 0 ? "?" : F(c.TrainImages), F(c.Models),
                c.Seconds.ToString("0", CultureInfo.InvariantCulture), (c.Seconds / total).ToString("P1", CultureInfo.InvariantCulture),
                c.ImagesPerSecond.ToString("0", CultureInfo.InvariantCulture),
            }).ToList();
            Console.WriteLine($"{dir}: {costs.Sum(c => c.Models)} models in {costs.Count} kinds, {total:0} s of training");
            if (Console.IsOutputRedirected)
            {
                // A log or a file: a Markdown table, one line per row, whatever the width.
                Console.WriteLine("| " + string.Join(" | ", header) + " |");
                Console.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
                foreach (var row in rows) Console.WriteLine("| " + string.Join(" | ", row) + " |");
                return 0;
            }
            var table = new Table().AddColumns(header);
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static string F(int v) => v.ToString(CultureInfo.InvariantCulture);
}
