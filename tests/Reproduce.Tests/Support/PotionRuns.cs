using Unlearning.Scenarios;
using Unlearning.Unlearning;

namespace Reproduce.Tests.Support;

/// <summary>
/// The Potion theories' shared work: each poisoned scenario is trained once per process (and cached on disk), each
/// (scenario, discovery) is unlearned once by the SSD family, None and — where asked — EU, and every theory reads the
/// same rows.
/// </summary>
public static class PotionRuns
{
    private static readonly Dictionary<string, PoisonedBase> Bases = new();
    private static readonly Dictionary<string, Dictionary<string, PotionRow>> Rows = new();

    /// <summary>The ci poisoning scenario of the current scale (BadNet, 2%, embedded MNIST).</summary>
    public static PoisonScenario Default(TriggerKind trigger = TriggerKind.BadNet) => PoisonScenario.Ci(trigger: trigger);

    /// <summary>The trained, validated poisoned base of <paramref name="s"/>.</summary>
    public static PoisonedBase Base(PoisonScenario s)
    {
        lock (Bases)
        {
            if (!Bases.TryGetValue(s.Name, out var b)) Bases[s.Name] = b = PoisonScenarios.Train(Shared.Runner, s, log: Console.WriteLine);
            return b;
        }
    }

    /// <summary>Rows by method name for one discovery: PTN-XLF, PTN-LF, PTN-SSD, SSD (Goel grid), None, and EU when <paramref name="withEu"/>.</summary>
    public static IReadOnlyDictionary<string, PotionRow> For(PoisonScenario s, Discovery d, bool withEu)
    {
        var b = Base(s);
        string key = $"{s.Name}|{d.Name}";
        lock (Rows)
        {
            if (!Rows.TryGetValue(key, out var rows))
            {
                var sf = d.Identify(b.Plan);
                Rows[key] = rows = PotionExperiment.Run(Shared.Runner, b, sf, [.. PotionExperiment.SsdFamily(b), new NoUnlearning()]).ToDictionary(r => r.Method);
            }
            if (withEu && !rows.ContainsKey("EU")) rows["EU"] = PotionExperiment.ExactUnlearning(Shared.Runner, b, d.Identify(b.Plan));
            return rows;
        }
    }
}
