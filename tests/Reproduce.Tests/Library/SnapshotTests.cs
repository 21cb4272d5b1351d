using Reproduce.Tests.Support;
using Unlearning.Scenarios;
using Xunit;
using Xunit.Sdk;

namespace Reproduce.Tests.Library;

/// <summary>The snapshot layer itself: a drifted metric fails readably and leaves a received file; dangling pins are found.</summary>
[Scale("unit")]
public sealed class SnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("repro-snap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Variants => new() { "alpha", "beta" };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Owner(string variant) => Assert.NotEmpty(variant);

    [Fact]
    public void The_tolerance_is_read_from_the_verified_file()
    {
        var store = new SnapshotStore(_dir);
        Assert.Throws<XunitException>(() => store.Match("X.tol", Scale.Ci, new Dictionary<string, Pinned> { ["acc"] = new(0.90, 0.05) }, "T.M"));
        File.Move(store.ReceivedPath("X.tol", Scale.Ci), store.VerifiedPath("X.tol", Scale.Ci));
        // The run now computes a tighter tolerance; the pinned one (0.05) decides.
        store.Match("X.tol", Scale.Ci, new Dictionary<string, Pinned> { ["acc"] = new(0.93, 0.001) }, "T.M");
        Assert.Throws<XunitException>(() => store.Match("X.tol", Scale.Ci, new Dictionary<string, Pinned> { ["acc"] = new(0.96, 0.5) }, "T.M"));
    }

    [Fact]
    public void Drift_beyond_tolerance_fails_with_a_readable_diff_and_writes_received()
    {
        var store = new SnapshotStore(_dir);
        var pinned = new Dictionary<string, Pinned> { ["test_accuracy"] = new(0.9765, 0.005, Paper: 0.9898), ["loss"] = new(0.07, 0.01) };
        Assert.Throws<XunitException>(() => store.Match("X.claim.v", Scale.Ci, pinned, "T.M")); // nothing pinned yet
        File.Move(store.ReceivedPath("X.claim.v", Scale.Ci), store.VerifiedPath("X.claim.v", Scale.Ci)); // accept = rename
        store.Match("X.claim.v", Scale.Ci, pinned, "T.M");
        store.Match("X.claim.v", Scale.Ci, new Dictionary<string, Pinned>(pinned) { ["test_accuracy"] = new(0.9790, 0.005, 0.9898) }, "T.M"); // within tolerance
        Assert.False(File.Exists(store.ReceivedPath("X.claim.v", Scale.Ci)));

        var drifted = new Dictionary<string, Pinned>(pinned) { ["test_accuracy"] = new(0.9500, 0.005, 0.9898) };
        var e = Assert.Throws<XunitException>(() => store.Match("X.claim.v", Scale.Ci, drifted, "T.M"));
        Assert.Contains("Snapshot X.claim.v (ci) drifted", e.Message);
        Assert.Matches(@"test_accuracy\s+0\.9898\s+0\.9765\s+0\.95\s+0\.0265\s+0\.005", e.Message);
        Assert.Contains("✗ test_accuracy", e.Message);
        Assert.DoesNotContain("✗ loss", e.Message);
        Assert.Contains("mv ", e.Message);
        var received = SnapshotStore.Read(store.ReceivedPath("X.claim.v", Scale.Ci));
        Assert.Equal(0.95, received.Metrics["test_accuracy"]);
        Assert.Equal(0.9765, SnapshotStore.Read(store.VerifiedPath("X.claim.v", Scale.Ci)).Metrics["test_accuracy"]);
    }

    [Fact]
    public void Missing_or_new_metrics_count_as_drift()
    {
        var store = new SnapshotStore(_dir);
        var a = new Dictionary<string, Pinned> { ["m"] = new(1, 0) };
        Assert.Throws<XunitException>(() => store.Match("Y", Scale.Ci, a, "T.M"));
        File.Move(store.ReceivedPath("Y", Scale.Ci), store.VerifiedPath("Y", Scale.Ci));
        var e = Assert.Throws<XunitException>(() => store.Match("Y", Scale.Ci, new Dictionary<string, Pinned> { ["n"] = new(1, 0) }, "T.M"));
        Assert.Contains("m: pinned but no longer produced", e.Message);
        Assert.Contains("n: new metric", e.Message);
    }

    [Fact]
    public void Dangling_check_finds_pins_whose_test_or_variant_is_gone()
    {
        var store = new SnapshotStore(_dir);
        string owner = typeof(SnapshotTests).FullName + "." + nameof(Owner);
        void Pin(string name, string test, string variant)
        {
            try { store.Match(name, Scale.Ci, new Dictionary<string, Pinned> { ["m"] = new(1, 0) }, test, variant); } catch (XunitException) { }
            File.Move(store.ReceivedPath(name, Scale.Ci), store.VerifiedPath(name, Scale.Ci));
        }
        Pin("live.alpha", owner, "alpha");
        Pin("gone.variant", owner, "gamma");
        Pin("gone.test", typeof(SnapshotTests).FullName + ".NoSuchMethod", "");
        var dangling = store.Dangling(typeof(SnapshotTests).Assembly);
        Assert.Equal(2, dangling.Count);
        Assert.Contains(dangling, d => d.Contains("gone.variant") && d.Contains("no longer has variant 'gamma'"));
        Assert.Contains(dangling, d => d.Contains("gone.test") && d.Contains("does not exist"));
    }

    [Fact]
    public void No_pinned_snapshot_in_the_repository_is_dangling()
    {
        var dangling = SnapshotStore.Default.Dangling(typeof(SnapshotTests).Assembly);
        Assert.True(dangling.Count == 0, "dangling verified snapshots:\n" + string.Join("\n", dangling));
    }

    [Fact]
    public void The_spread_over_seeds_widens_a_tolerance_to_four_standard_deviations_and_never_narrows_one()
    {
        Unlearning.Reporting.RunResults Run(double chaotic, double steady)
        {
            var env = new Unlearning.Reporting.RunEnvironment("torch", ".NET", "os", "cpu", [], DateTime.UnixEpoch);
            var row = new Unlearning.Reporting.ClaimResult("A.T2.avg-gap", "D_F only, forget 50%", Unlearning.Reporting.Verdicts.Unresolved, "", "", "ci", "1", 1, "")
            {
                Values = new Dictionary<string, Unlearning.Claims.Measured>
                {
                    ["GA.avg_gap"] = new(chaotic, 0.5), ["AMUN.avg_gap"] = new(steady, 0.5), ["GA.avg_gap_std"] = Unlearning.Claims.Measured.Reported(1),
                },
            };
            return new(env, [], [row]);
        }
        var rows = Unlearning.Claims.SeedSpread.Measure([Run(10, 5.0), Run(30, 5.1), Run(20, 4.9)]);
        Assert.Equal(2, rows.Count); // the reported (unpinned) value is not measured
        var ga = rows.Single(r => r.Key == "GA.avg_gap");
        Assert.Equal(10, ga.Std, 10);
        Assert.Equal(40, ga.Tolerance, 10);
        Assert.Equal(0.5, rows.Single(r => r.Key == "AMUN.avg_gap").Tolerance); // its spread (0.4 = 4 × 0.1) is inside its noise

        string name = Unlearning.Claims.PinFile.NameOf("A.T2.avg-gap", "D_F only, forget 50%");
        Directory.CreateDirectory(Path.Combine(_dir, "ci"));
        string path = Path.Combine(_dir, "ci", name + ".verified.json");
        new Unlearning.Claims.PinFile(name, "T.M", "D_F only, forget 50%", "ci", new(StringComparer.Ordinal) { ["GA.avg_gap"] = 10, ["AMUN.avg_gap"] = 5 },
            new(StringComparer.Ordinal) { ["GA.avg_gap"] = 0.5, ["AMUN.avg_gap"] = 0.8 }).Write(path);
        var (written, unpinned) = Unlearning.Claims.SeedSpread.Apply(rows, _dir, "ci");
        Assert.Equal([path], written);
        Assert.Empty(unpinned);
        var pins = Unlearning.Claims.PinFile.Read(path);
        Assert.Equal(40, pins.Tolerances["GA.avg_gap"], 10);
        Assert.Equal(0.8, pins.Tolerances["AMUN.avg_gap"]); // the wider tolerance written there stays
        Assert.Equal(10, pins.Metrics["GA.avg_gap"]);        // the pinned value stays
        Assert.Throws<ArgumentException>(() => Unlearning.Claims.SeedSpread.Measure([Run(1, 1)]));
    }

    [Fact]
    public void A_replicate_from_another_cpu_widens_only_the_values_that_moved_beyond_their_noise()
    {
        var verified = new Unlearning.Claims.PinFile("P.T1.values.S_f1", "T.M", "S_f=1", "ci", new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 48.6, ["None.healed"] = 18 },
            new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 4.5, ["None.healed"] = 4 });
        var replicate = verified with { Metrics = new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 89.1, ["None.healed"] = 19 } };
        var rows = Unlearning.Claims.SeedSpread.FromReplicate(verified, replicate);
        Assert.All(rows, r => Assert.Equal("P.T1.values", r.Claim));
        var ssd = rows.Single(r => r.Key == "PTN-SSD.healed");
        Assert.Equal(4 * 40.5 / Math.Sqrt(2), ssd.Tolerance, 9);
        Assert.Equal(4, rows.Single(r => r.Key == "None.healed").Tolerance); // 4 × 0.71 is inside its noise tolerance
    }

    [Fact]
    public void A_repin_takes_the_new_values_and_never_narrows_a_measured_tolerance()
    {
        var old = new Unlearning.Claims.PinFile("P.T1.values.S_f1", "T.M", "S_f=1", "ci", new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 48.6, ["None.healed"] = 18 },
            new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 28.6, ["None.healed"] = 4 });
        var received = old with
        {
            Metrics = new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 97.1, ["None.healed"] = 12, ["XLF.healed"] = 96 },
            Tolerances = new(StringComparer.Ordinal) { ["PTN-SSD.healed"] = 1.5, ["None.healed"] = 5, ["XLF.healed"] = 1.8 },
        };
        var (pin, rows) = Unlearning.Claims.Repin.Replace(old, received);
        Assert.Equal(received.Metrics, pin.Metrics);
        Assert.Equal(28.6, pin.Tolerances["PTN-SSD.healed"]); // the spread measured before stays
        Assert.Equal(5, pin.Tolerances["None.healed"]);       // the new noise is wider
        Assert.Equal(1.8, pin.Tolerances["XLF.healed"]);      // a new value: its noise tolerance
        Assert.Null(rows.Single(r => r.Key == "XLF.healed").Old);
        Assert.Equal(48.6, rows.Single(r => r.Key == "PTN-SSD.healed").Old);
        var (fresh, _) = Unlearning.Claims.Repin.Replace(null, received);
        Assert.Equal(received.Tolerances, fresh.Tolerances);
    }
}
