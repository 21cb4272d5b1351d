using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Guard;

namespace Reproduce.Tests.Properties;

/// <summary>
/// The unlearning-request guard (X.guard.*) over random training sets, requests and request sequences, on a small
/// dataset of random 3×3 images in which a few images occur twice (identical content under two indices).
/// </summary>
[Scale("unit")]
public class GuardProperties
{
    private const int N = 48;

    /// <summary>48 random 3×3 images; 40–47 repeat 0–7's pixels exactly.</summary>
    private static readonly ImageDataset Data = Synthetic();

    private static readonly string[] Hashes = ContentHash.Of(Data, Enumerable.Range(0, N).ToArray());

    private static ImageDataset Synthetic()
    {
        var rng = new SeededRandom(11);
        var pixels = new byte[N * 9];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);
        Array.Copy(pixels, 0, pixels, 40 * 9, 8 * 9);
        return new ImageDataset("guard-synthetic", new IdxArray([N, 3, 3], pixels), Enumerable.Range(0, N).Select(i => (byte)(i % 4)).ToArray(), 4, "synthetic");
    }

    public sealed record MembershipCase(int[] Train, int[] Request);

    public static Arbitrary<MembershipCase> MembershipCases() =>
        (from trainCount in Gen.Choose(1, N - 1)
         from seed in Gen.Choose(0, 10_000)
         from length in Gen.Choose(0, 6)
         from request in Gen.ArrayOf(Gen.Choose(0, N - 1), length)
         select new MembershipCase(new SeededRandom(seed).Permutation(N).Take(trainCount).Order().ToArray(), request)).ToArbitrary();

    public sealed record Op(int Requester, int Count);

    public sealed record SequenceCase(Op[] Ops, int Seed, int CutShare);

    public static Arbitrary<SequenceCase> SequenceCases() =>
        (from length in Gen.Choose(1, 12)
         from ops in Gen.ArrayOf(from r in Gen.Choose(0, 2) from k in Gen.Choose(1, 4) select new Op(r, k), length)
         from seed in Gen.Choose(0, 10_000)
         from cut in Gen.Choose(1, 99)
         select new SequenceCase(ops, seed, cut)).ToArbitrary();

    private static readonly GuardPolicy Budgets = new(DefaultBudget: 0, new Dictionary<string, int> { ["r0"] = 6, ["r1"] = 3 });

    private static string TempLog() => Path.Combine(Path.GetTempPath(), "guard-" + Guid.NewGuid().ToString("N"), "requests.log");

    [Property(Arbitrary = [typeof(GuardProperties)]), Claim("X.guard.nonmember")]
    public bool A_request_naming_a_non_member_is_refused_and_changes_nothing(MembershipCase c)
    {
        string log = TempLog();
        try
        {
            var guard = UnlearningGuard.Open(log, Data, c.Train, new GuardPolicy(int.MaxValue));
            var memberHashes = c.Train.Select(i => Hashes[i]).ToHashSet();
            var named = c.Request.Select(i => Hashes[i]).ToArray();
            byte[] before = File.ReadAllBytes(log);
            var decision = guard.Submit("someone", named);
            bool distinct = named.Distinct().Count() == named.Length;
            bool allMembers = named.All(memberHashes.Contains);
            if (named.Length > 0 && distinct && allMembers)
            {
                // Accepted: every training index carrying a named content is removed, and the log grew by one verified record.
                var expected = c.Train.Where(i => named.Contains(Hashes[i])).Order().ToArray();
                return decision is Accepted a && a.Request.Indices.SequenceEqual(expected) && guard.Remaining.SequenceEqual(c.Train.Except(expected).Order())
                       && UnlearningGuard.Open(log, Data, c.Train, new GuardPolicy(int.MaxValue)).Log.Records.Count == 1;
            }
            bool reasonNamesIt = !distinct || named.Length == 0 || ((Refused)decision).Reason.Contains("not in the training set");
            return decision is Refused && reasonNamesIt && File.ReadAllBytes(log).SequenceEqual(before)
                   && guard.Remaining.SequenceEqual(c.Train) && guard.Log.Records.Count == 0;
        }
        finally { Directory.Delete(Path.GetDirectoryName(log)!, recursive: true); }
    }

    [Property(Arbitrary = [typeof(GuardProperties)]), Claim("X.guard.budget")]
    public bool Budgets_hold_and_the_log_survives_a_crash_mid_append(SequenceCase c)
    {
        string log = TempLog();
        try
        {
            int[] train = Enumerable.Range(0, 40).ToArray(); // no duplicated content inside the training set
            var guard = UnlearningGuard.Open(log, Data, train, Budgets);
            var order = new SeededRandom(c.Seed).Permutation(train.Length);
            int next = 0;
            var used = new int[3];
            foreach (var op in c.Ops)
            {
                int k = Math.Min(op.Count, train.Length - next);
                if (k == 0) break;
                string who = $"r{op.Requester}";
                var decision = guard.Submit(who, order.Skip(next).Take(k).Select(i => Hashes[train[i]]).ToArray());
                bool fits = used[op.Requester] + k <= Budgets.BudgetOf(who);
                if (fits != decision is Accepted) return false;
                if (!fits && !((Refused)decision).Reason.Contains("budget")) return false;
                if (fits) { used[op.Requester] += k; next += k; }
                if (Enumerable.Range(0, 3).Any(r => guard.Used($"r{r}") != used[r] || used[r] > Budgets.BudgetOf($"r{r}"))) return false;
            }
            // Reopening replays the log into the same state.
            var reopened = UnlearningGuard.Open(log, Data, train, Budgets);
            if (!reopened.Remaining.SequenceEqual(guard.Remaining) || Enumerable.Range(0, 3).Any(r => reopened.Used($"r{r}") != used[r])) return false;
            int records = guard.Log.Records.Count;
            if (records == 0) return true;
            // A crash in the middle of the last append: cut part of its line (newline included). The record is dropped, never half-read,
            // and the next append continues a valid chain.
            byte[] bytes = File.ReadAllBytes(log);
            int lastStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
            int lineLength = bytes.Length - lastStart;
            int cut = 1 + (lineLength - 2) * c.CutShare / 100;
            File.WriteAllBytes(log, bytes[..^cut]);
            var recovered = UnlearningGuard.Open(log, Data, train, Budgets);
            var last = guard.Log.Records[^1];
            if (recovered.Log.Records.Count != records - 1 || recovered.Log.RecoveredTail != lineLength - cut) return false;
            if (recovered.Used(last.Requester) != guard.Used(last.Requester) - last.Indices.Length) return false;
            if (recovered.Submit(last.Requester, last.Hashes) is not Accepted) return false;
            return UnlearningGuard.Open(log, Data, train, Budgets).Remaining.SequenceEqual(guard.Remaining);
        }
        finally { Directory.Delete(Path.GetDirectoryName(log)!, recursive: true); }
    }

    [Property(Arbitrary = [typeof(GuardProperties)]), Claim("X.guard.budget")]
    public bool An_altered_record_is_an_error_naming_the_file_and_line(SequenceCase c)
    {
        string log = TempLog();
        try
        {
            var guard = UnlearningGuard.Open(log, Data, Enumerable.Range(0, 40).ToArray(), new GuardPolicy(int.MaxValue));
            for (int i = 0; i < 3; i++) guard.Submit("r", [Hashes[(c.Seed + i) % 40]]);
            byte[] bytes = File.ReadAllBytes(log);
            var newlines = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == '\n').ToArray(); // header, 3 records
            int from = newlines[0] + 1, to = newlines[2] - 1;                                          // records 1–2, not the last
            int at = from + (to - from) * c.CutShare / 100;
            bytes[at] ^= 0x01;
            File.WriteAllBytes(log, bytes);
            try { UnlearningGuard.Open(log, Data, Enumerable.Range(0, 40).ToArray(), new GuardPolicy(int.MaxValue)); return false; }
            catch (InvalidDataException e) { return e.Message.StartsWith(log, StringComparison.Ordinal) && e.Message.Contains(": line "); }
        }
        finally { Directory.Delete(Path.GetDirectoryName(log)!, recursive: true); }
    }
}
