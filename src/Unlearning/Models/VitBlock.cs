using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>Pre-norm transformer encoder block: x + MHSA(LN(x)), then x + MLP(LN(x)) with GELU.</summary>
public sealed class VitBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly int _heads;

    /// <summary>Creates the block.</summary>
    public VitBlock(int dim, int heads, int mlpDim) : base(nameof(VitBlock))
    {
        if (dim % heads != 0) throw new ArgumentException($"embedding dim {dim} is not divisible by {heads} heads", nameof(heads));
        _heads = heads;
        norm1 = LayerNorm(dim);
        qkv = Linear(dim, 3 * dim);
        proj = Linear(dim, dim);
        norm2 = LayerNorm(dim);
        fc1 = Linear(dim, mlpDim);
        fc2 = Linear(mlpDim, dim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], d = x.shape[2], dh = d / _heads;
        var q3 = qkv.forward(norm1.forward(x)).reshape(b, t, 3, _heads, dh).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (q3[0], q3[1], q3[2]);
        var attn = functional.softmax(q.matmul(k.transpose(-2, -1)).Times(1.0 / Math.Sqrt(dh)), -1);
        var o = attn.matmul(v).transpose(1, 2).reshape(b, t, d);
        var h = x.Plus(proj.forward(o));
        return h.Plus(fc2.forward(functional.gelu(fc1.forward(norm2.forward(h))))).MoveToOuterDisposeScope();
    }
}
