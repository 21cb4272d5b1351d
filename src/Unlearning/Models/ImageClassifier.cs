using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>
/// An image classifier split at its penultimate layer: <see cref="Features"/> maps images to the representation
/// the last linear layer reads (used by the Healing paper's feature-space similarity metrics), and
/// <see cref="Head"/> maps that representation to logits. <c>forward</c> = Head(Features(x)).
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with its TorchSharp name.</summary>
    protected ImageClassifier(string name) : base(name) { }

    /// <summary>Penultimate-layer features, [N, FeatureDim].</summary>
    public abstract Tensor Features(Tensor x);

    /// <summary>Logits from penultimate features, [N, classes].</summary>
    public abstract Tensor Head(Tensor features);

    /// <summary>Dimension of <see cref="Features"/>.</summary>
    public abstract int FeatureDim { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Head(Features(x));
}
