using Reproduce.Tests.Support;
using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Scenarios;
using Unlearning.Training;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

public class AugmentationTests
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>A batch of distinct values (every pixel different), so a wrong window or a missed flip shows.</summary>
    private static Tensor DistinctBatch(int n, int c, int h, int w) =>
        arange(n * c * h * w, dtype: ScalarType.Float32).add_(1).view(n, c, h, w);

    [Fact, Scale("unit")]
    public void Each_image_is_its_own_window_of_the_zero_padded_image_mirrored_when_drawn()
    {
        using var scope = NewDisposeScope();
        var x = DistinctBatch(16, 3, 8, 6);
        var augmentation = new Augmentation(Padding: 2);
        var y = augmentation.Apply(x, new SeededRandom(7, stream: 1));
        Assert.Equal(x.shape, y.shape);
        // The oracle: the same draws, one image at a time, by slicing.
        var rng = new SeededRandom(7, stream: 1);
        var padded = nn.functional.pad(x, [2, 2, 2, 2]);
        int flips = 0;
        for (int i = 0; i < 16; i++)
        {
            int dy = rng.NextInt(5), dx = rng.NextInt(5);
            bool flip = rng.NextInt(2) == 1;
            flips += flip ? 1 : 0;
            var window = padded[i].narrow(1, dy, 8).narrow(2, dx, 6);
            if (flip) window = window.flip(2);
            Assert.True(Same(window, y[i]), $"image {i}: dy {dy}, dx {dx}, flip {flip}");
        }
        Assert.InRange(flips, 1, 15);
    }

    [Fact, Scale("unit")]
    public void No_padding_and_no_flip_is_the_identity_and_the_same_seed_gives_the_same_batch()
    {
        using var scope = NewDisposeScope();
        var x = DistinctBatch(4, 1, 5, 5);
        Assert.True(Same(new Augmentation(0, HorizontalFlip: false).Apply(x, new SeededRandom(1)), x));
        var a = Augmentation.CropAndFlip.Apply(x, new SeededRandom(3));
        Assert.True(Same(a, Augmentation.CropAndFlip.Apply(x, new SeededRandom(3))));
        Assert.False(Same(a, Augmentation.CropAndFlip.Apply(x, new SeededRandom(4))));
        Assert.Throws<ArgumentException>(() => new Augmentation(-1).Apply(x, new SeededRandom(1)));
        Assert.Throws<ArgumentException>(() => Augmentation.CropAndFlip.Apply(x[0], new SeededRandom(1)));
    }

    [Fact, Scale("unit")]
    public void The_trainer_augments_before_the_batch_transform_and_keeps_its_visiting_order()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        int[] indices = Enumerable.Range(0, 96).ToArray();
        var plain = TrainingConfig.Adam(epochs: 1, batchSize: 32);
        (List<int[]> Order, List<bool> Unchanged) Run(TrainingConfig config)
        {
            var order = new List<int[]>();
            var unchanged = new List<bool>();
            using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 1);
            new Trainer().Fit(model, data, indices, config, seed: 2, transform: (x, y, batch) =>
            {
                order.Add(batch);
                unchanged.Add(Same(x, data.Batch(batch).X));
                return (x, y);
            });
            return (order, unchanged);
        }
        var without = Run(plain);
        var with = Run(plain with { Augment = new Augmentation(Padding: 2) });
        Assert.All(without.Unchanged, Assert.True);
        Assert.All(with.Unchanged, Assert.False);
        Assert.Equal(without.Order, with.Order);
    }

    [Fact, Scale("unit")]
    public void Scenarios_without_augmentation_keep_their_hash_and_augmentation_changes_it()
    {
        var ci = ScaleProfile.Ci.BaseModel(DatasetId.Mnist10k);
        Assert.DoesNotContain("Augment", ci.CanonicalJson());
        Assert.Equal("c232294e6d2ef0ed", ci.Hash); // training-code version 2 (ceil pooling); a field left unset must not move it
        var augmented = ci with { Training = ci.Training with { Augment = Augmentation.CropAndFlip } };
        Assert.Contains("\"Augment\":{\"Padding\":4,\"HorizontalFlip\":true}", augmented.CanonicalJson());
        Assert.NotEqual(ci.Hash, augmented.Hash);
        Assert.NotNull(PoisonScenario.Paper().Base.Training.Augment);
        Assert.NotNull(ScaleProfile.Paper.BaseModel(DatasetId.Cifar10).Training.Augment);
    }
}
