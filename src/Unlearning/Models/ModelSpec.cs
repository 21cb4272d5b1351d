using System.Text.Json.Serialization;
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
/// <paramref name="Pooling"/> (SmallCnn and LipschitzCnn): null is <see cref="Models.Pooling.Floor"/>, the original layout,
/// and leaves the scenario hash (the model cache key) as it was before the setting existed.
/// </summary>
public sealed record ModelSpec(ModelKind Kind, int Width = 0, int Depth = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Pooling? Pooling = null)
{
    /// <summary>
    /// The SmallCnn in its original layout (floor pooling: the bottom two rows and right two columns of a 28×28 input never
    /// reach the logits). The Healing and AMUN ci scenarios keep it until their pinned values are measured again.
    /// </summary>
    public static readonly ModelSpec SmallCnn = new(ModelKind.SmallCnn);

    /// <summary>The SmallCnn whose poolings keep the border (ceil mode): every input pixel reaches the logits.</summary>
    public static readonly ModelSpec SmallCnnFullView = new(ModelKind.SmallCnn, Pooling: Models.Pooling.Ceil);

    /// <summary>The pooling the model is built with (<see cref="Models.Pooling.Floor"/> when unset).</summary>
    [JsonIgnore]
    public Pooling EffectivePooling => Pooling ?? Models.Pooling.Floor;

    /// <summary>Builds the model, its weights drawn from <paramref name="seed"/>.</summary>
    public ImageClassifier Create(int inChannels, int imageSize, int numClasses, long seed)
    {
        lock (TorchRuntime.GlobalRngGate)
        {
            manual_seed(seed);
            return Kind switch
            {
                ModelKind.SmallCnn => new SmallCnn(inChannels, imageSize, numClasses, EffectivePooling),
                ModelKind.LipschitzCnn => new LipschitzCnn(inChannels, imageSize, numClasses, EffectivePooling),
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
