using Unlearning.Data;
using Unlearning.Scenarios;

namespace Unlearning.Claims;

/// <summary>
/// The Healing claims. MNIST with the small CNN is the paper's MNIST row; Fashion-MNIST stands in for the harder
/// CIFAR-10 row (ResNet-50 in the paper) and is labelled so. Base models are trained once per process (and cached on disk).
/// </summary>
public sealed class HealingSuite(ScenarioRunner runner, Scale scale, Action<string>? log = null) : IClaimSuite
{
    private readonly Dictionary<DatasetId, TrainedBase> _bases = new();

    /// <inheritdoc />
    public string Paper => "Healing";

    /// <summary>The datasets of the suite at its scale: the MNIST row and the stand-in for the CIFAR-10 row.</summary>
    public (DatasetId Mnist, DatasetId Harder) Datasets =>
        scale == Scale.Paper ? (DatasetId.Mnist, DatasetId.FashionMnist) : (DatasetId.Mnist10k, DatasetId.FashionMnist10k);

    /// <summary>The trained base (non-SISA) model of a dataset at the suite's scale.</summary>
    public TrainedBase Base(DatasetId dataset)
    {
        lock (_bases)
        {
            if (!_bases.TryGetValue(dataset, out var b)) _bases[dataset] = b = runner.TrainBase(ScalePresets.BaseModel(scale, dataset), log: log);
            return b;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ClaimVariant> Variants =>
    [
        new("H.T1.acc", "MNIST CNN baseline", () => BaselineAccuracy(Datasets.Mnist, "MNIST")),
        new("H.T1.acc", "Fashion-MNIST CNN baseline (stands in for CIFAR-10)", () => BaselineAccuracy(Datasets.Harder, "CIFAR-10")),
    ];

    /// <summary>Healing Table 1, the baseline's full-data accuracy: a value claim, shown beside the paper's number.</summary>
    private ClaimOutcome BaselineAccuracy(DatasetId dataset, string paperRow)
    {
        var b = Base(dataset);
        double paper = PaperTable.Load("healing/table1").Value("accuracy", ("dataset", paperRow), ("method", "Baseline"));
        return new ClaimOutcome("H.T1.acc", paperRow == "MNIST" ? "MNIST CNN baseline" : "Fashion-MNIST CNN baseline (stands in for CIFAR-10)", [],
            new Dictionary<string, Measured> { ["test_accuracy"] = new(b.TestAccuracy, 0.006, paper), ["train_accuracy"] = new(b.TrainAccuracy, 0.006) },
            $"{b.Data.Name}, {b.Split.Train.Length} train / {b.Split.Test.Length} test, {b.Scenario.Model.Kind}; the SISA column needs the Healing suite's SISA", 0, []);
    }
}
