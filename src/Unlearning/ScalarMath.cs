using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning;

/// <summary>
/// Tensor arithmetic whose scalar operands are owned Scalars. TorchSharp turns a .NET number (and the implicit
/// α = 1 of <c>add</c>) into a native Scalar that only the garbage collector frees; a collection during the native
/// call that still reads it fails the op at random. Here each Scalar is either static (never collected) or created,
/// kept alive across the call and disposed. The ops are the same libtorch kernels with the same values, so results
/// are bitwise those of the implicit forms. Used wherever our code passes a number to a tensor op: the per-step paths
/// (training, attacks, LiSSA, 1-Lipschitz layers, poisoned batches) and the one-off ones (data loading, hashing, initialisation).
/// </summary>
public static class ScalarMath
{
    /// <summary>Integral 1, the α TorchSharp's <c>add</c> overloads pass; static, so always reachable.</summary>
    internal static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a · v.</summary>
    public static Tensor Times(this Tensor a, double v) => With(v.ToScalar(), s => a.mul(s));

    /// <summary>a / v.</summary>
    public static Tensor Over(this Tensor a, double v) => With(v.ToScalar(), s => a.div(s));

    /// <summary>a + v (a scalar).</summary>
    public static Tensor PlusScalar(this Tensor a, double v) => With(v.ToScalar(), s => a.add(s, One));

    /// <summary>aᵖ for an integral p (as <c>pow(2)</c> passes it).</summary>
    public static Tensor Power(this Tensor a, int p) => With(p.ToScalar(), s => a.pow(s));

    /// <summary>aᵖ.</summary>
    public static Tensor Power(this Tensor a, double p) => With(p.ToScalar(), s => a.pow(s));

    /// <summary>max(a, lo).</summary>
    public static Tensor AtLeast(this Tensor a, double lo) => With(lo.ToScalar(), s => a.clamp_min(s));

    /// <summary>min(a, hi).</summary>
    public static Tensor AtMost(this Tensor a, double hi) => With(hi.ToScalar(), s => a.clamp_max(s));

    /// <summary>a clamped to [lo, hi].</summary>
    public static Tensor Within(this Tensor a, double lo, double hi)
    {
        using var l = lo.ToScalar();
        using var h = hi.ToScalar();
        return a.clamp(l, h);
    }

    /// <summary>a · v, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double v) => With(v.ToScalar(), s => a.mul_(s));

    /// <summary>a / v, in place.</summary>
    public static Tensor OverInPlace(this Tensor a, double v) => With(v.ToScalar(), s => a.div_(s));

    /// <summary>a ≥ v, elementwise.</summary>
    public static Tensor AtLeastMask(this Tensor a, double v) => With(v.ToScalar(), s => a.ge(s));

    /// <summary>a &gt; v, elementwise.</summary>
    public static Tensor AboveMask(this Tensor a, double v) => With(v.ToScalar(), s => a.gt(s));

    /// <summary>a with v where <paramref name="mask"/> is set.</summary>
    public static Tensor FilledWhere(this Tensor a, Tensor mask, double v) => With(v.ToScalar(), s => a.masked_fill(mask, s));

    /// <summary>a with v in the rows (along <paramref name="dim"/>) that <paramref name="index"/> names.</summary>
    public static Tensor IndexFilled(this Tensor a, long dim, Tensor index, long v) => With(v.ToScalar(), s => a.index_fill(dim, index, s));

    /// <summary>A tensor shaped like <paramref name="like"/> filled with v.</summary>
    public static Tensor FullLike(Tensor like, long v) => With(v.ToScalar(), s => full_like(like, s));

    /// <summary>A 1-D tensor of <paramref name="n"/> copies of v.</summary>
    public static Tensor Full(long n, double v, ScalarType dtype, Device device) => With(v.ToScalar(), s => full(n, s, dtype, device));

    /// <summary>0, 1, …, n − 1.</summary>
    public static Tensor Range(long n, ScalarType dtype, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = n.ToScalar();
        using var step = 1L.ToScalar();
        return arange(start, stop, step, dtype, device);
    }

    // Owns the Scalar across the op: `using` keeps it reachable until the native call has returned.
    private static Tensor With(Scalar scalar, Func<Scalar, Tensor> op)
    {
        using (scalar) return op(scalar);
    }
}
