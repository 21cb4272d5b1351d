using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>The architectures the harness builds.</summary>
public enum ModelKind
{
    /// <summary><see cref="Models.SmallCnn"/>.</summary>
    SmallCnn,
    /// <summary><see cref="Models.ResNet9"/>.</summary>
    ResNet9,
    /// <summary><see cref="Models.ResNet18"/>.</summary>
    ResNet18,
    /// <summary><see cref="Models.WideResNet"/>.</summary>
    WideResNet,
    /// <summary><see cref="Models.TinyVit"/>.</summary>
    TinyVit,
    /// <summary><see cref="Models.LipschitzCnn"/>: the SmallCnn with 1-Lipschitz layers (AMUN Table 3).</summary>
    LipschitzCnn,
    /// <summary><see cref="Models.ResNet18"/> with every layer clipped to operator norm 1 (AMUN Tables 3 and 6 at paper scale).</summary>
    LipschitzResNet18,
}

/// <summary>
/// An architecture and its size knobs. <paramref name="Width"/>: ResNet-18 base width / WRN widen factor / ViT dim.
/// Every architecture lets every input pixel reach the logits (the SmallCnn-family pools in ceil mode).
/// </summary>
public sealed record ModelSpec(ModelKind Kind, int Width = 0, int Depth = 0)
{
    /// <summary>The ci SmallCnn (ceil pooling: 28 → 26 → 13 → 11 → 6, every input pixel reaches the logits).</summary>
    public static readonly ModelSpec SmallCnn = new(ModelKind.SmallCnn);

    /// <summary>The ci LipschitzCnn (AMUN Table 3 at ci scale).</summary>
    public static readonly ModelSpec LipschitzCnn = new(ModelKind.LipschitzCnn);

    /// <summary>Builds the model, its weights drawn from <paramref name="seed"/>.</summary>
    public ImageClassifier Create(int inChannels, int imageSize, int numClasses, long seed)
    {
        lock (TorchRuntime.GlobalRngGate)
        {
            manual_seed(seed);
            return Kind switch
            {
                ModelKind.SmallCnn => new SmallCnn(inChannels, imageSize, numClasses),
                ModelKind.LipschitzCnn => new LipschitzCnn(inChannels, imageSize, numClasses),
                ModelKind.ResNet9 => new ResNet9(inChannels, numClasses),
                ModelKind.ResNet18 => new ResNet18(inChannels, numClasses, Width > 0 ? Width : 64),
                ModelKind.LipschitzResNet18 => new ResNet18(inChannels, numClasses, Width > 0 ? Width : 64, clippedImageSize: imageSize),
                ModelKind.WideResNet => new WideResNet(Depth > 0 ? Depth : 28, Width > 0 ? Width : 10, inChannels, numClasses),
                ModelKind.TinyVit => new TinyVit(inChannels, imageSize, numClasses, patchSize: imageSize % 7 == 0 ? 7 : 4, dim: Width > 0 ? Width : 64, depth: Depth > 0 ? Depth : 4),
                _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown model kind"),
            };
        }
    }
}
