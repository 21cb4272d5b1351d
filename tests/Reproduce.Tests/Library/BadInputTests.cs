using Reproduce.Tests.Support;
using TorchSharp;
using Unlearning;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>Corrupt, truncated and malformed data files: each is refused with an error naming the file and the problem.</summary>
[Scale("unit")]
public class BadInputTests
{
    private static string Corrupt(string name) => Path.Combine(Fixtures.Directory, "corrupt", name);

    [Theory]
    [InlineData("truncated-images-idx3-ubyte", "truncated IDX data: header promises 78400 bytes (100x28x28), file holds 7840")]
    [InlineData("truncated-images-idx3-ubyte.gz", "corrupt or truncated gzip stream")]
    [InlineData("wrong-magic-images-idx3-ubyte", "wrong magic number 0x504B0304")]
    [InlineData("trailing-bytes-idx1-ubyte", "2 unexpected trailing bytes")]
    public void Idx_reader_names_the_file_and_the_problem(string file, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(Corrupt(file)));
        Assert.StartsWith(Corrupt(file) + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Missing_idx_file_is_a_file_not_found_naming_it()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(Corrupt("no-such-file")));
        Assert.Contains("no-such-file: IDX file not found", e.Message);
    }

    [Theory]
    [InlineData("cifar-truncated.bin", "not a positive multiple of the 3073-byte record")]
    [InlineData("cifar-bad-label.bin", "record 0 has label 11")]
    public void Cifar_reader_names_the_file_and_the_problem(string file, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadBatch(Corrupt(file)));
        Assert.StartsWith(Corrupt(file) + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }

    /// <summary>A temporary data root whose <paramref name="folder"/> holds both train and t10k files copied from the given fixtures.</summary>
    private static void WithDataRoot(string folder, string images, string labels, Action<DataCatalog> check)
    {
        string dir = Directory.CreateTempSubdirectory("repro-data-").FullName;
        try
        {
            string target = Path.Combine(dir, folder);
            Directory.CreateDirectory(target);
            foreach (string split in new[] { "train", "t10k" })
            {
                File.Copy(Corrupt(images), Path.Combine(target, $"{split}-images-idx3-ubyte"));
                File.Copy(Corrupt(labels), Path.Combine(target, $"{split}-labels-idx1-ubyte"));
            }
            check(new DataCatalog(new DataOptions(dir, Fixtures.Directory)));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Dataset_with_an_out_of_range_label_is_refused_naming_the_label_file() =>
        WithDataRoot("mnist", "images-for-labels-idx3-ubyte", "labels-out-of-range-idx1-ubyte", catalog =>
        {
            var e = Assert.Throws<InvalidDataException>(() => catalog.Load(DatasetId.Mnist));
            Assert.Contains("train-labels-idx1-ubyte: label 12 at index 4 is outside 0..9", e.Message);
        });

    [Fact]
    public void Non_official_fashion_mnist_file_is_refused_as_a_checksum_mismatch() =>
        WithDataRoot("fashion-mnist", "images-for-labels-idx3-ubyte", "trailing-bytes-idx1-ubyte", catalog =>
        {
            var e = Assert.Throws<InvalidDataException>(() => catalog.Load(DatasetId.FashionMnist));
            Assert.Contains("train-images-idx3-ubyte: checksum mismatch", e.Message);
        });

    [Fact]
    public void Absent_cifar_is_a_clear_unavailable_error_saying_where_to_put_it()
    {
        var catalog = new DataCatalog(new DataOptions(Directory.CreateTempSubdirectory("repro-empty-").FullName, Fixtures.Directory));
        var e = Assert.Throws<DataUnavailableException>(() => catalog.Load(DatasetId.Cifar10));
        Assert.Contains("cifar-10-batches-bin", e.Message);
        Assert.False(catalog.Check(DatasetId.Cifar10).Present);
    }

    /// <summary>A 3×32×32, 10-class data set (CIFAR-10's shape) of <paramref name="n"/> images, weights-free of any file.</summary>
    private static ImageDataset ColourImages(int n = 4) =>
        new("colour-32", new IdxArray([n, 3, 32, 32], new byte[n * 3 * 32 * 32]), new byte[n], 10, "test");

    [Fact]
    public void Images_of_another_size_than_the_model_takes_are_refused_naming_the_data_set_and_both_shapes()
    {
        TorchRuntime.EnsureInitialized();
        using var data = ColourImages();
        using var model = new SmallCnn(inChannels: 1, imageSize: 28);
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var train = Assert.Throws<ArgumentException>(() => new Trainer().Fit(model, data, [0, 1, 2, 3], TrainingConfig.Adam(1), seed: 1));
        Assert.Contains("data set 'colour-32' has 3×32×32 images, but the model SmallCnn expects 1×28×28 images", train.Message);
        var eval = Assert.Throws<ArgumentException>(() => new Evaluator().Evaluate(model, data, [0, 1]));
        Assert.Contains("data set 'colour-32' has 3×32×32 images", eval.Message);
        foreach (var (key, value) in model.state_dict()) Assert.True(value.allclose(before[key], rtol: 0, atol: 0), $"{key} changed");
    }

    [Fact]
    public void A_batch_of_the_wrong_shape_is_refused_before_libtorch_sees_it()
    {
        TorchRuntime.EnsureInitialized();
        using var model = new SmallCnn(inChannels: 1, imageSize: 28);
        using var x = torch.zeros(2, 1, 32, 32);
        var e = Assert.Throws<ArgumentException>(() => model.forward(x));
        Assert.Contains("the model SmallCnn expects a batch of 1×28×28 images, got a tensor of shape [2, 1, 32, 32]", e.Message);
    }

    [Fact]
    public void More_classes_than_the_model_has_outputs_are_refused()
    {
        TorchRuntime.EnsureInitialized();
        using var data = ColourImages();
        using var model = new ResNet9(inChannels: 3, numClasses: 5);
        var e = Assert.Throws<ArgumentException>(() => new Evaluator().Evaluate(model, data, [0]));
        Assert.Contains("data set 'colour-32' has 10 classes, but the model ResNet9 has 5 outputs", e.Message);
    }
}
