using Unlearning.Healing;

namespace Unlearning.Claims;

/// <summary>The Healing paper's transcribed numbers (<c>expected/paper/healing/*.json</c>), looked up by what they are.</summary>
internal static class HealingPaper
{
    /// <summary>Table 1: the accuracy of <paramref name="method"/> ("Baseline", "SISA") on a dataset row ("MNIST", "CIFAR-10").</summary>
    public static double Table1(string dataset, string method, string column = "accuracy") => PaperTable.Load("healing/table1").Value(column, ("dataset", dataset), ("method", method));

    /// <summary>Table 2 (Fisher) or 3 (Influence): the MNIST accuracy after removing <paramref name="fraction"/> at random, or null where the table has no such row.</summary>
    public static double? AfterRemoval(int table, double fraction) =>
        PaperTable.Load($"healing/table{table}").TryValue("accuracy", ("dataset", "MNIST"), ("removed", $"{100 * fraction:0}%"));

    /// <summary>A cell of Table 4 (25 of class 7) or 5 (worst 25 logits), MNIST, in a block ("twins", "random"), or null where the table has none.</summary>
    public static double? Healing(HealingRequest request, string column, string block = "twins") =>
        PaperTable.Load(request == HealingRequest.ClassTargeted ? "healing/table4" : "healing/table5").TryValue(column, ("dataset", "MNIST"), ("block", block));

    /// <summary>Table 6: mean, std or time of a method's unlearning runs on a row ("MNIST", "MNIST (worst 25 logits)"), or null.</summary>
    public static double? MeanStd(string dataset, string method, string column) =>
        PaperTable.Load("healing/table6").TryValue(column, ("dataset", dataset), ("method", method == HealingExperiment.Fisher ? "Fisher" : "Influence"));
}
