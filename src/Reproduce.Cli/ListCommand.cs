using System.CommandLine;
using Spectre.Console;
using Unlearning.Claims;
using Unlearning.Reporting;

namespace Reproduce.Cli;

/// <summary><c>reproduce list</c>: the claims and their state in the last run's results.</summary>
internal static class ListCommand
{
    public static Command Build()
    {
        var cmd = new Command("list", "list the claims and their state in the last run (artifacts/results.json)");
        var paper = new Option<string?>("--paper") { Description = "Healing | AMUN | Potion | Beyond" };
        var results = new Option<string>("--results") { Description = "results file of a previous run", DefaultValueFactory = _ => "artifacts/results.json" };
        cmd.Options.Add(paper);
        cmd.Options.Add(results);
        cmd.SetAction(r =>
        {
            string? p = r.GetValue(paper);
            var claims = ClaimCatalog.All.Where(c => p == null || c.Paper.Equals(p, StringComparison.OrdinalIgnoreCase)).ToList();
            if (claims.Count == 0) throw new CliException($"--paper {p}: no such paper (Healing, AMUN, Potion, Beyond)");
            var state = RunResults.TryRead(r.GetValue(results)!);
            var table = new Table().AddColumns("claim", "paper", "kind", "where", "state", "what it says");
            foreach (var c in claims)
            {
                string s = state?.Claims.FirstOrDefault(x => x.Claim == c.Id)?.Verdict ?? "not run";
                table.AddRow(Markup.Escape(c.Id), c.Paper, c.Kind, Markup.Escape(c.Where), Markup.Escape(s), Markup.Escape(c.Text));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{claims.Count} claims; state from {(state == null ? "no previous run" : r.GetValue(results))}");
            return 0;
        });
        return cmd;
    }
}
