using System.CommandLine;
using Unlearning.Reporting;

namespace Reproduce.Cli;

/// <summary><c>reproduce report</c> re-renders a report from results.json; <c>reproduce merge</c> joins shard outputs.</summary>
internal static class ReportCommands
{
    public static Command Report()
    {
        var cmd = new Command("report", "re-render report.md, results.csv and the figures from a results.json, without recomputing");
        var from = new Option<string>("--from") { Description = "results.json of a run", DefaultValueFactory = _ => "artifacts/results.json" };
        var outDir = new Option<string?>("--out") { Description = "output directory (default: the directory of --from)" };
        cmd.Options.Add(from);
        cmd.Options.Add(outDir);
        cmd.SetAction(r =>
        {
            string path = r.GetValue(from)!;
            var results = RunResults.TryRead(path) ?? throw new CliException($"--from {path}: no such file");
            string dir = r.GetValue(outDir) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
            CommonOptions.PrepareOutput(dir);
            RunCommand.Write(dir, results);
            return 0;
        });
        return cmd;
    }

    public static Command Merge()
    {
        var cmd = new Command("merge", "join the results.json of several runs or shards into one report (later files win on the same claim variant)");
        var inputs = new Argument<string[]>("results") { Description = "results.json files (or directories holding one)", Arity = ArgumentArity.OneOrMore };
        var outDir = CommonOptions.Out();
        cmd.Arguments.Add(inputs);
        cmd.Options.Add(outDir);
        cmd.SetAction(r =>
        {
            var runs = r.GetValue(inputs)!.Select(p =>
            {
                string file = Directory.Exists(p) ? Path.Combine(p, "results.json") : p;
                return RunResults.TryRead(file) ?? throw new CliException($"{p}: no results.json there");
            }).ToList();
            string dir = r.GetValue(outDir)!;
            CommonOptions.PrepareOutput(dir);
            RunCommand.Write(dir, RunResults.Merge(runs));
            return 0;
        });
        return cmd;
    }
}
