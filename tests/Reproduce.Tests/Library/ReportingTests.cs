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
        Figures.Lines(path, "t", "x", "y", [new Series("a", [1, 2, 3], [0.5, 0.3, 0.2]), new Series("b", [1, 2, 3], [0.9, 0.6, 0.4])], 400, 300);
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
        var results = new RunResults(env, [], [new ClaimResult("H.T1.acc", "mnist", Verdicts.NeedsPaperScale, "0.9898", "0.9765", "ci", "1", 1.5, "a, \"quoted\" note")]);
        string md = MarkdownReport.Render(results);
        Assert.All(ClaimCatalog.All, c => Assert.Contains($"| {c.Id}", md));
        Assert.Contains("| H.T1.acc · mnist |", md);
        Assert.Contains("**needs paper scale**", md);
        string path = Path.Combine(_dir, "results.json");
        File.WriteAllText(path, results.ToJson());
        var back = RunResults.TryRead(path)!;
        Assert.Equal(results.Claims, back.Claims);
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
    }
}
