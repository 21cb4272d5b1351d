using System.CommandLine;
using Reproduce.Cli;
using Spectre.Console;

var root = new RootCommand("Reproduce the claims of three machine-unlearning papers (Healing, AMUN, Potion) on real data.");
root.Subcommands.Add(DataCommands.Build());
root.Subcommands.Add(ListCommand.Build());
root.Subcommands.Add(TrainCommand.Build());
root.Subcommands.Add(CostsCommand.Build());
root.Subcommands.Add(RunCommand.Build());
root.Subcommands.Add(PinCommand.Build());
root.Subcommands.Add(ReportCommands.Report());
root.Subcommands.Add(ReportCommands.Merge());

try
{
    // Our own handler below turns known errors into one line and exit code 2; the default one would print a stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is CliException or ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                              or UnauthorizedAccessException or Unlearning.Data.DataUnavailableException or KeyNotFoundException)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 2;
}
