using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// A small Vision Transformer (the Potion paper's ViT rows, scaled down): non-overlapping patch embedding by a
/// strided conv, a learned class token and position embedding, <c>depth</c> <see cref="VitBlock"/>s, final
/// LayerNorm; the class token's representation is the feature vector.
/// </summary>
public sealed class TinyVit : ImageClassifier
{
    private readonly Conv2d patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly ModuleList<VitBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    /// <summary>Creates the network for square images of side <paramref name="imageSize"/>.</summary>
    public TinyVit(int inChannels = 1, int imageSize = 28, int numClasses = 10, int patchSize = 7, int dim = 64, int depth = 4, int heads = 4, int mlpDim = 128)
        : base(nameof(TinyVit), inChannels, imageSize, numClasses)
    {
        if (imageSize % patchSize != 0) throw new ArgumentException($"image size {imageSize} is not a multiple of patch size {patchSize}", nameof(patchSize));
        int tokens = (imageSize / patchSize) * (imageSize / patchSize) + 1;
        patch_embed = Conv2d(inChannels, dim, kernel_size: patchSize, stride: patchSize);
        cls_token = new Parameter(zeros(1, 1, dim));
        pos_embed = new Parameter(randn(1, tokens, dim).TimesInPlace(0.02));
        blocks = new ModuleList<VitBlock>(Enumerable.Range(0, depth).Select(_ => new VitBlock(dim, heads, mlpDim)).ToArray());
        norm = LayerNorm(dim);
        head = Linear(dim, numClasses);
        FeatureDim = dim;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int FeatureDim { get; }

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = patch_embed.forward(x).flatten(2).transpose(1, 2);
        h = cat([cls_token.expand(h.shape[0], -1, -1), h], 1).Plus(pos_embed);
        foreach (var block in blocks) h = block.forward(h);
        return norm.forward(h).select(1, 0).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => head.forward(features);
}
