using Unlearning.Claims;
using System.Runtime.CompilerServices;
using Unlearning.Reporting;
using Xunit;
using Xunit.Sdk;

namespace Reproduce.Tests.Support;

/// <summary>The theories' side of a <see cref="ClaimOutcome"/>: pin its values, then turn its verdict into a test outcome.</summary>
public static class ClaimRuns
{
    /// <summary>
    /// Pins the outcome's values (a drift fails even where the verdict skips), then: reproduced → passes (fails with
    /// "deviation resolved" when the variant is still in <see cref="KnownDeviations"/>, unless the entry is CPU-dependent); a value claim off paper scale →
    /// passes (its values are pinned); unresolved at this scale → skips with this run's numbers; deviates → skips as a known
    /// deviation with this run's numbers when registered, fails otherwise; invalid scenario, vacuous or a failed control →
    /// fails. <paramref name="owner"/> is the test class; the snapshot is owned by <paramref name="member"/> of it.
    /// </summary>
    public static ClaimOutcome Verify(this ClaimOutcome outcome, Type owner, [CallerMemberName] string member = "")
    {
        string scale = Shared.Scale.ToString().ToLowerInvariant();
        string verdict = outcome.Verdict(scale);
        var known = outcome.KnownDeviation;
        string details = outcome.Explain(scale) + (outcome.Note.Length > 0 ? "\n" + outcome.Note : "");
        // A drifted pin fails whatever the verdict; its message says the verdict too.
        try
        {
            if (outcome.Values.Any(v => v.Value.Pinned)) outcome.MatchSnapshot($"{owner.FullName}.{member}");
        }
        catch (XunitException drift)
        {
            throw new XunitException($"{drift.Message}\nverdict of this run: {details}");
        }
        switch (verdict)
        {
            case Verdicts.Reproduced when known is { CpuDependent: true }:
                return outcome; // holds on this CPU; the entry records that it deviates on another
            case Verdicts.Reproduced when known != null:
                throw new XunitException($"deviation resolved: {outcome.Claim} [{outcome.Variant}] now holds; remove it from KnownDeviations.\n{details}");
            case Verdicts.Reproduced or Verdicts.NeedsPaperScale:
                return outcome;
            case Verdicts.Unresolved:
                Assert.Skip((known != null ? $"known deviation, unresolved at this scale: {known.Why} At paper scale: {known.AtPaperScale}\n" : "unresolved at this scale\n") + details + Ran(outcome));
                return outcome;
            case Verdicts.Deviates when known != null:
                Assert.Skip($"known deviation: {known.Why} At paper scale: {known.AtPaperScale}\n{details}{Ran(outcome)}");
                return outcome;
            default:
                throw new XunitException($"{verdict}{(verdict == Verdicts.Deviates ? " (not a recorded deviation)" : "")}: {details}");
        }
    }

    // A skipped test reports no duration of its own (1 ms in the TRX): the claim's computing time goes into the message.
    private static string Ran(ClaimOutcome outcome) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\n(claim computed in {outcome.Seconds:0.0} s)");

    /// <summary>The snapshot name of an outcome (<see cref="PinFile.NameOf"/>).</summary>
    public static string SnapshotName(ClaimOutcome o) => PinFile.NameOf(o.Claim, o.Variant);

    /// <summary>Pins the outcome's values at the run's scale; <paramref name="test"/> is the theory that owns the file.</summary>
    public static ClaimOutcome MatchSnapshot(this ClaimOutcome outcome, string test)
    {
        SnapshotStore.Default.Match(SnapshotName(outcome), Shared.Scale,
            outcome.Values.Where(v => v.Value.Pinned).ToDictionary(v => v.Key, v => new Pinned(v.Value.Value, v.Value.Tolerance, v.Value.Paper)), test, outcome.Variant);
        return outcome;
    }

    /// <summary>A theory's MemberData: the variants the registry lists for <paramref name="claim"/>, optionally filtered.</summary>
    public static Xunit.TheoryData<string> Variants(string claim, Func<string, bool>? where = null)
    {
        var data = new Xunit.TheoryData<string>();
        foreach (var v in Shared.Claims.VariantsOf(claim).Where(where ?? (_ => true))) data.Add(v);
        return data;
    }
}
