using System.Diagnostics;
using TorchSharp;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>
/// BS, boundary shrink (Chen et al. 2023, AMUN §5.1 and App. B): before every epoch a frozen copy of the model is
/// attacked with one FGSM step of size <paramref name="bound"/> (0.1) on each D_F image, and the sample is relabelled
/// with the frozen copy's prediction on the perturbed image (its nearest wrong class); the model is then fine-tuned on
/// D_F with those labels (with D_R when <paramref name="useRetain"/>). Only the labels change — the images stay the
/// originals (AMUN's D_AdvL).
/// </summary>
public sealed class BoundaryShrinkUnlearner(FineTuneOptions options, bool useRetain, double bound = 0.1) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "BS";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        var clock = Stopwatch.StartNew();
        var (model, device) = ModelCopy.EvalCopy(r, Name);
        using var forget = TuneBlock.FromData("D_F", r.Data, r.Forget);
        using var trueLabels = forget.Labels.clone();
        using var retain = useRetain ? TuneBlock.FromData("D_R", r.Data, r.Retain) : null;
        using var frozen = ModelCopy.Clone(model, r.CreateModel);
        FineTuning.Run(Name, model, [retain is null ? [forget] : [retain, forget]], options, r.Seed, r.Data.NumClasses, device,
            new FineTuneHooks
            {
                BeforeTrainingEpoch = _ =>
                {
                    ModelCopy.CopyInto(model, frozen);
                    forget.SetLabels(NeighbourLabels(frozen, forget.Images, trueLabels, bound, device, limits: options.Limits));
                },
            });
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["lr"] = options.LearningRate, ["bound"] = bound });
    }

    /// <summary>
    /// The frozen model's prediction on x + bound·sign(∇ₓ CE(x, y)), clamped to [0, 1] (labels on the CPU). A dry run's
    /// <paramref name="limits"/> label the first evaluation batches so and keep the true labels of the rest.
    /// </summary>
    public static Tensor NeighbourLabels(ImageClassifier frozen, Tensor images, Tensor labels, double bound, Device device, int batchSize = 128,
        Training.IterationLimits? limits = null)
    {
        frozen.eval();
        var parts = new List<Tensor>();
        if (limits != null) batchSize = Math.Min(batchSize, limits.BatchSize);
        long n = images.shape[0], end = limits == null ? n : Math.Min(n, (long)limits.EvalBatches * batchSize);
        for (long start = 0; start < end; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, images.shape[0] - start);
            var x = images.narrow(0, start, count).to(device).detach().requires_grad_(true);
            var y = labels.narrow(0, start, count).to(device);
            var loss = nn.functional.cross_entropy(frozen.forward(x), y);
            var g = autograd.grad([loss], [x])[0];
            using var noGrad = no_grad();
            var perturbed = x.detach().Plus(g.sign().Times(bound)).Within(0, 1);
            parts.Add(frozen.forward(perturbed).argmax(1).cpu().MoveToOuterDisposeScope());
        }
        if (end < n) parts.Add(labels.narrow(0, end, n - end).cpu().clone());
        var result = cat(parts.ToArray());
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
