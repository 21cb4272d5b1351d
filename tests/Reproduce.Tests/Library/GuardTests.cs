using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Guard;
using Unlearning.Healing;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Unlearning;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>The guard in front of an unlearner, on the embedded MNIST digits: routing, healing replacements, and logs that do not belong.</summary>
[Scale("unit")]
public class GuardTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "guard-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ImageDataset _data = Shared.Catalog.Load(DatasetId.Mnist10k);
    private static readonly int[] Train = Enumerable.Range(0, 200).ToArray();
    private static readonly int[] Spare = Enumerable.Range(200, 100).ToArray();

    private string LogPath => Path.Combine(_dir, "requests.log");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private sealed class CountingUnlearner : IUnlearner
    {
        public List<UnlearningRequest> Seen { get; } = [];
        public string Name => "counting";
        public UnlearningResult Unlearn(UnlearningRequest r)
        {
            Seen.Add(r);
            return new NoUnlearning().Unlearn(r);
        }
    }

    [Fact, Claim("X.guard.nonmember")]
    public void Refused_requests_never_reach_the_unlearner_and_accepted_ones_are_routed_with_healing_replacements()
    {
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 1);
        var before = model.parameters().Select(p => p.clone()).ToList();
        var guard = UnlearningGuard.Open(LogPath, _data, Train, new GuardPolicy(DefaultBudget: 10));
        var unlearner = new CountingUnlearner();
        var raw = Train.Concat(Spare).ToDictionary(i => i, i => _data.Images[i].flatten().to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray());
        var spares = new SpareSet(Spare, i => raw[i], new L2Metric(), double.PositiveInfinity, seed: 1);
        var router = new GuardedUnlearning(guard, unlearner, spares);
        var template = new UnlearningRequest(model, () => ModelSpec.SmallCnn.Create(1, 28, 10, 1), _data, Train, [0], TrainingConfig.Adam(1), 1);

        var nonMember = router.Handle("mallory", [ContentHash.Of(_data, Spare[0])], template);
        var refused = Assert.IsType<Refused>(nonMember.Decision);
        Assert.Contains("not in the training set", refused.Reason);
        Assert.Null(nonMember.Result);
        Assert.Empty(unlearner.Seen);
        Assert.All(model.parameters().Zip(before), p => Assert.True(p.First.allclose(p.Second, 0, 0)));

        var ok = router.Handle("alice", ContentHash.Of(_data, [3, 5]), template);
        Assert.IsType<Accepted>(ok.Decision);
        using (ok.Result!.Model)
        {
            var seen = Assert.Single(unlearner.Seen);
            Assert.Equal(new[] { 3, 5 }, seen.Forget);
            Assert.Equal(Train.Except([3, 5]), seen.Retain);
        }
        Assert.Equal(2, ok.Replacements.Count);
        Assert.All(ok.Replacements, m => Assert.Contains(m.Twin!.Value, Spare));
        Assert.NotEqual(ok.Replacements[0].Twin, ok.Replacements[1].Twin);

        var again = router.Handle("bob", [ContentHash.Of(_data, 3)], template);
        Assert.Contains("already unlearned (request #1)", Assert.IsType<Refused>(again.Decision).Reason);
        Assert.Single(unlearner.Seen);
    }

    [Fact, Claim("X.guard.budget")]
    public void A_log_of_another_training_set_or_a_foreign_file_is_refused_with_the_file_named()
    {
        UnlearningGuard.Open(LogPath, _data, Train, new GuardPolicy(5)).Submit("alice", [ContentHash.Of(_data, 1)]);
        var other = Assert.Throws<InvalidDataException>(() => UnlearningGuard.Open(LogPath, _data, Train[1..], new GuardPolicy(5)));
        Assert.Contains(LogPath, other.Message);
        Assert.Contains("another dataset or training set", other.Message);
        string foreign = Path.Combine(_dir, "foreign.log");
        File.WriteAllText(foreign, "hello\n");
        var notLog = Assert.Throws<InvalidDataException>(() => UnlearningGuard.Open(foreign, _data, Train, new GuardPolicy(5)));
        Assert.Contains("not an unlearning-request log", notLog.Message);
    }

    [Fact]
    public void Malformed_hashes_empty_requests_and_repeated_samples_are_refused_with_the_reason()
    {
        var guard = UnlearningGuard.Open(LogPath, _data, Train, new GuardPolicy(5));
        string h = ContentHash.Of(_data, 7);
        Assert.Contains("names no sample", ((Refused)guard.Submit("a", [])).Reason);
        Assert.Contains("is not a SHA-256 content hash", ((Refused)guard.Submit("a", ["abc"])).Reason);
        Assert.Contains("is named twice", ((Refused)guard.Submit("a", [h, h.ToUpperInvariant()])).Reason);
        Assert.Contains("names no requester", ((Refused)guard.Submit(" ", [h])).Reason);
        Assert.Empty(guard.Log.Records);
        Assert.IsType<Accepted>(guard.Submit("a", [h.ToUpperInvariant()]));
    }
}
