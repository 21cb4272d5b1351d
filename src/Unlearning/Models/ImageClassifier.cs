using TorchSharp;
using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>
/// An image classifier split at its penultimate layer: <see cref="Features"/> maps images to the representation
/// the last linear layer reads (used by the Healing paper's feature-space similarity metrics), and
/// <see cref="Head"/> maps that representation to logits. <c>forward</c> = Head(Features(x)).
/// A classifier declares the input it accepts (<see cref="InChannels"/>, <see cref="ImageSize"/>, <see cref="NumClasses"/>);
/// data of another shape is refused with an error naming the data set and both shapes, not libtorch's matrix-size error.
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with its TorchSharp name and its input contract (<paramref name="imageSize"/> null: any side).</summary>
    protected ImageClassifier(string name, int inChannels, int? imageSize, int numClasses) : base(name)
    {
        InChannels = inChannels;
        ImageSize = imageSize;
        NumClasses = numClasses;
    }

    /// <summary>Image channels the first layer reads.</summary>
    public int InChannels { get; }

    /// <summary>The square image side the layers are sized for; null when the network pools to any size.</summary>
    public int? ImageSize { get; }

    /// <summary>Number of output logits.</summary>
    public int NumClasses { get; }

    /// <summary>Penultimate-layer features, [N, FeatureDim].</summary>
    public abstract Tensor Features(Tensor x);

    /// <summary>Logits from penultimate features, [N, classes].</summary>
    public abstract Tensor Head(Tensor features);

    /// <summary>The architecture's name as reports show it (the class name unless a variant of it says more).</summary>
    public virtual string Architecture => GetType().Name;

    /// <summary>Dimension of <see cref="Features"/>.</summary>
    public abstract int FeatureDim { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        CheckBatch(x);
        var logits = Head(Features(x));
        if (Training.PathTrace.Current != null) Training.PathTrace.Forward(Architecture, x.shape, logits.shape);
        return logits;
    }

    private string Expected => $"{InChannels}×{(ImageSize is int s ? $"{s}×{s}" : "H×W")}";

    /// <summary>Refuses a data set whose images or labels this classifier cannot take, naming both shapes.</summary>
    /// <exception cref="ArgumentException">the image shape or the class count does not match.</exception>
    public void CheckInput(ImageDataset data)
    {
        var (c, h, w) = data.ImageShape;
        if (c != InChannels || (ImageSize is int s && (h != s || w != s)))
            throw new ArgumentException($"data set '{data.Name}' has {c}×{h}×{w} images, but the model {GetName()} expects {Expected} images", nameof(data));
        if (data.NumClasses > NumClasses)
            throw new ArgumentException($"data set '{data.Name}' has {data.NumClasses} classes, but the model {GetName()} has {NumClasses} outputs", nameof(data));
    }

    /// <summary>Refuses a batch that is not [N, <see cref="InChannels"/>, side, side] for this classifier.</summary>
    private void CheckBatch(Tensor x)
    {
        var shape = x.shape;
        if (shape.Length != 4 || shape[1] != InChannels || (ImageSize is int s && (shape[2] != s || shape[3] != s)))
            throw new ArgumentException($"the model {GetName()} expects a batch of {Expected} images, got a tensor of shape [{string.Join(", ", shape)}]", nameof(x));
    }
}
