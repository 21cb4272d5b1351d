using Unlearning.Data;

namespace Unlearning.Reporting;

/// <summary>
/// A named series of (x, y) points for a line figure, with optional ± error bars (e.g. one standard deviation over runs).
/// <see cref="Paper"/>: the paper's numbers, drawn as open markers without a line beside the measured series.
/// </summary>
public sealed record Series(string Label, double[] X, double[] Y, double[]? Error = null, bool Paper = false);

/// <summary>PNG figures for the report (ScottPlot), written atomically.</summary>
public static class Figures
{
    /// <summary>Renders a line figure with one line per series and saves it as PNG at <paramref name="path"/>.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, int width = 720, int height = 420)
    {
        var plot = new ScottPlot.Plot();
        foreach (var s in series)
        {
            if (s.X.Length != s.Y.Length) throw new ArgumentException($"series '{s.Label}': {s.X.Length} x values but {s.Y.Length} y values", nameof(series));
            var scatter = plot.Add.Scatter(s.X, s.Y);
            scatter.LegendText = s.Label;
            scatter.MarkerSize = 5;
            if (s.Paper)
            {
                scatter.LineWidth = 0;
                scatter.MarkerShape = ScottPlot.MarkerShape.OpenDiamond;
                scatter.MarkerSize = 11;
            }
            if (s.Error is { } error)
            {
                if (error.Length != s.Y.Length) throw new ArgumentException($"series '{s.Label}': {s.Y.Length} y values but {error.Length} error bars", nameof(series));
                var bars = plot.Add.ErrorBar(s.X, s.Y, error);
                bars.Color = scatter.Color;
            }
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        byte[] png = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }

    /// <summary>Renders every claim figure of <paramref name="results"/> into <c>{outDir}/figures/</c>; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(RunResults results, string outDir)
    {
        var written = new List<string>();
        foreach (var f in results.Claims.SelectMany(c => c.Figures).DistinctBy(f => f.File))
        {
            if (f.File.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || f.File.Contains("..", StringComparison.Ordinal))
                throw new InvalidDataException($"figure file name '{f.File}' is not a plain file name");
            string path = Path.Combine(outDir, "figures", f.File);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Lines(path, f.Title, f.XLabel, f.YLabel, f.Series);
            written.Add(path);
        }
        return written;
    }
}
