using Reproduce.Tests.Support;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Reporting;
using Xunit;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public sealed class ReportingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("repro-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Figure_is_a_png_of_the_requested_size()
    {
        string path = Path.Combine(_dir, "f.png");
        Figures.Lines(path, "t", "x", "y", [new Series("a", [1, 2, 3], [0.5, 0.3, 0.2]), new Series("b", [1, 2, 3], [0.9, 0.6, 0.4]),
            new Series("a, paper", [1, 3], [0.45, 0.25], Paper: true)], 400, 300);
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(400, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(300, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
        Assert.Throws<ArgumentException>(() => Figures.Lines(path, "t", "x", "y", [new Series("bad", [1, 2], [1])]));
    }

    [Fact]
    public void Report_lists_every_claim_of_the_catalog_and_round_trips_through_json()
    {
        var env = new RunEnvironment("torch", ".NET", "os", "cpu", [new DataFileStatus("/x", ChecksumStatus.Verified, "ok")], DateTime.UnixEpoch);
        var outcome = new ClaimOutcome("P.T9.full", "S_f=100%", new OrderChecks().Count(true, "healed EU 99.9 ≥ 100% − 1").Count(false, "healed PTN-XLF 90 > PTN-LF 95").Checks,
            new Dictionary<string, Measured> { ["EU.healed"] = new(99.9, 2, 99.99), ["EU.healed_std"] = Measured.Reported(0.4, 0.02) }, "why it deviates", 3,
            [new FigureData("fig.png", "a figure", "x", "y", [new Series("s", [1, 2], [3, 4])])]);
        var results = new RunResults(env, [], [new ClaimResult("H.T1.acc", "mnist", Verdicts.NeedsPaperScale, "0.9898", "0.9765", "ci", "1", 1.5, "a, \"quoted\" note"),
                                               ClaimResult.From(outcome, "ci", "1")]);
        string md = MarkdownReport.Render(results);
        Assert.All(ClaimCatalog.All, c => Assert.Contains($"| {c.Id}", md));
        Assert.Contains("| H.T1.acc · mnist |", md);
        Assert.Contains("**needs paper scale**", md);
        // The report opens with the verdict count per paper, then the decision rules.
        Assert.Contains("| paper | variants | reproduced | deviates | unresolved at this scale |", md);
        Assert.Contains("| Potion | 1 | 0 | 1 |", md);
        Assert.Contains("two one-sided", md);
        Assert.True(md.IndexOf("| paper | variants |", StringComparison.Ordinal) < md.IndexOf("## Potion", StringComparison.Ordinal));
        string path = Path.Combine(_dir, "results.json");
        File.WriteAllText(path, results.ToJson());
        var back = RunResults.TryRead(path)!;
        Assert.All(results.Claims.Zip(back.Claims), p => Assert.True(p.First.SameAs(p.Second)));
        Assert.Contains("**deviates**", md);
        Assert.Contains("- ✗ healed PTN-XLF 90 > PTN-LF 95", md);
        Assert.Contains("![a figure](figures/fig.png)", md);
        Assert.Equal(Verdicts.Deviates, back.Claims[1].Verdict);
        Assert.Equal(99.99, back.Claims[1].Values["EU.healed"].Paper);
        Assert.False(back.Claims[1].Values["EU.healed_std"].Pinned); // a reported value's NaN tolerance survives the file
        Assert.Single(Figures.WriteAll(back, _dir));
        Assert.True(File.Exists(Path.Combine(_dir, "figures", "fig.png")));
        Assert.Contains("\"a, \"\"quoted\"\" note\"", MarkdownReport.Csv(results));
        File.WriteAllText(path, "{ broken");
        var e = Assert.Throws<InvalidDataException>(() => RunResults.TryRead(path));
        Assert.Contains("results.json: not a results file", e.Message);
    }

    [Fact]
    public void Catalog_ids_are_unique_and_unknown_ids_suggest_known_ones()
    {
        Assert.Equal(ClaimCatalog.All.Count, ClaimCatalog.All.Select(c => c.Id).Distinct().Count());
        Assert.Equal(47, ClaimCatalog.All.Count);
        var e = Assert.Throws<KeyNotFoundException>(() => ClaimCatalog.Get("P.nope"));
        Assert.Contains("P.Eq1.ssd", e.Message);
    }

    [Fact]
    public void Paper_tables_are_embedded_and_looked_up_by_cells()
    {
        var t1 = PaperTable.Load("healing/table1");
        Assert.Equal(0.9898, t1.Value("accuracy", ("dataset", "MNIST"), ("method", "Baseline")));
        Assert.Equal(147, t1.Value("time_s", ("dataset", "MNIST"), ("method", "SISA")));
        Assert.Throws<KeyNotFoundException>(() => t1.Value("accuracy", ("dataset", "MNIST")));
        Assert.Throws<KeyNotFoundException>(() => PaperTable.Load("healing/table99"));
        Assert.Equal(0.143, PaperTable.Load("healing/table2").Value("accuracy", ("dataset", "MNIST"), ("removed", "10%")));
        Assert.Equal(0.9410, PaperTable.Load("healing/table3").Value("accuracy", ("dataset", "MNIST"), ("removed", "30%")));
        foreach (int n in new[] { 2, 3, 4, 5, 6, 7, 8, 9 }) Assert.NotEmpty(PaperTable.Load($"potion/table{n}").Rows);
    }

    [Fact]
    public void Merge_keeps_every_variant_once_and_a_later_run_wins()
    {
        var env = new RunEnvironment("torch", ".NET", "os", "cpu", [new DataFileStatus("/a", ChecksumStatus.Verified, "ok")], DateTime.UnixEpoch);
        ClaimResult Row(string variant, string verdict) => new("P.T1.order", variant, verdict, "", "", "ci", "1", 1, "");
        var a = new RunResults(env, [], [Row("v1", Verdicts.Reproduced), Row("v2", Verdicts.Skipped)]);
        var b = new RunResults(env with { DataFiles = [new DataFileStatus("/b", ChecksumStatus.Verified, "ok")] }, [], [Row("v2", Verdicts.Deviates), Row("v3", Verdicts.Reproduced)]);
        var m = RunResults.Merge([a, b]);
        Assert.Equal(["v1", "v2", "v3"], m.Claims.Select(c => c.Variant));
        Assert.Equal(Verdicts.Deviates, m.Claims[1].Verdict);
        Assert.Equal(["/a", "/b"], m.Environment.DataFiles.Select(f => f.Path));
        Assert.Throws<ArgumentException>(() => RunResults.Merge([]));
    }

    [Fact]
    public void A_claim_without_a_row_says_whether_the_filter_left_it_out_or_only_dotnet_test_checks_it()
    {
        var env = new RunEnvironment("torch", ".NET", "os", "cpu", [], DateTime.UnixEpoch, "--paper Potion", ["P.T1.order", "H.T1.acc"]);
        string md = MarkdownReport.Render(new RunResults(env, [], [new ClaimResult("P.T1.order", "v", Verdicts.Reproduced, "", "", "ci", "1", 1, "")]));
        Assert.Contains("| H.T1.acc | Table 1 |", md);
        Assert.Contains("not selected by this run (--paper Potion); `reproduce run --claim H.T1.acc` runs it", md);
        Assert.Contains("| P.Eq1.ssd |", md);
        Assert.Contains("`reproduce run` has no variant of it at this scale; `dotnet test --filter \"Claim=P.Eq1.ssd\"`", md);
        Assert.DoesNotContain("not selected by this run (--paper Potion); `reproduce run --claim P.Eq1.ssd`", md);

        // Shards merge into one selection that names both; an unfiltered run among them makes it "every claim".
        var one = new RunResults(env with { Selection = "--shard 1/2" }, [], []);
        var two = new RunResults(env with { Selection = "--shard 2/2", RunClaims = ["A.Obs1"] }, [], []);
        var merged = RunResults.Merge([one, two]).Environment;
        Assert.Equal("--shard 1/2 + --shard 2/2", merged.Selection);
        Assert.Equal(["P.T1.order", "H.T1.acc", "A.Obs1"], merged.RunClaims!);
        Assert.Null(RunResults.Merge([one, new RunResults(env with { Selection = null }, [], [])]).Environment.Selection);
        string full = MarkdownReport.Render(new RunResults(env with { Selection = null }, [], []));
        Assert.Contains("not reached by the run (yet); `reproduce run --claim H.T1.acc` runs it", full);

        // A results file written before these fields existed reads back with neither, and keeps the old note.
        string path = Path.Combine(_dir, "old.json");
        var old = System.Text.Json.Nodes.JsonNode.Parse(new RunResults(env, [], []).ToJson())!;
        old["Environment"]!.AsObject().Remove("Selection");
        old["Environment"]!.AsObject().Remove("RunClaims");
        File.WriteAllText(path, old.ToJsonString());
        var back = RunResults.TryRead(path)!;
        Assert.Null(back.Environment.Selection);
        Assert.Null(back.Environment.RunClaims);
        Assert.StartsWith("not run by `reproduce run`", MarkdownReport.NotRunNote(back.Environment, "H.T1.acc"));
    }
}

[Scale("unit")]
public sealed class ClaimRegistryTests
{
    [Fact]
    public void Every_registered_variant_names_a_catalog_claim_and_is_unique()
    {
        var all = Shared.Claims.All.ToList();
        Assert.NotEmpty(all);
        Assert.All(all, v => ClaimCatalog.Get(v.Claim));
        Assert.Equal(all.Count, all.Select(v => (v.Claim, v.Variant)).Distinct().Count());
        Assert.Contains(all, v => v.Claim == "P.T1.order");
    }

    [Fact]
    public void Unknown_claims_and_variants_are_refused_with_the_known_ones()
    {
        Assert.Throws<KeyNotFoundException>(() => Shared.Claims.VariantsOf("P.nope"));
        var e = Assert.Throws<KeyNotFoundException>(() => Shared.Claims.Run("P.T1.order", "nope"));
        Assert.Contains("SSD family, S_f=10%", e.Message);
    }
}
