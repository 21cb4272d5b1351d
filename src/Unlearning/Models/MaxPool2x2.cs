using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>
/// 2×2 max pooling with stride 2 (floor mode) — <c>max_pool2d(x, 2)</c> with exactly its results: the same outputs,
/// the gradient routed to the same element of each window (the first maximum in row-major order, a NaN taking the
/// place of the maximum as libtorch's kernel does), so a model trains bit for bit as it does with libtorch's operator.
/// On a CPU, for float32 NCHW tensors, it runs a vectorised kernel of its own: libtorch's NCHW max-pool kernel is
/// scalar and took nearly half of a SmallCnn training step on 2 cores (forward and backward of the first pooling
/// ≈ 16 ms of a ≈ 35 ms step at batch 128; this kernel ≈ 4 ms). Other devices and types use libtorch's operator.
/// Differentiable twice: when the backward itself is recorded (a Hessian-vector product, as LiSSA takes), the gradient
/// is formed with a scatter that autograd can differentiate.
/// </summary>
public static class MaxPool2x2
{
    /// <summary>
    /// Pools <paramref name="x"/> [N, C, H, W] to [N, C, ⌈H/2⌉, ⌈W/2⌉] — <c>max_pool2d(x, 2, ceil_mode: true)</c>: an odd last
    /// row or column forms windows of its own instead of being dropped, so every input element reaches an output. The
    /// odd side is padded with −∞ (never a window's maximum), then pooled as above; an even input pools exactly as
    /// <see cref="Apply(Tensor)"/>.
    /// </summary>
    public static Tensor ApplyCeil(Tensor x)
    {
        if (x.dim() != 4) throw new ArgumentException($"expected [N, C, H, W], got {x.dim()} dimensions", nameof(x));
        long padH = x.shape[2] % 2, padW = x.shape[3] % 2;
        if (padH == 0 && padW == 0) return Apply(x);
        // Not disposed here: the pooling's autograd node may keep it; the caller's dispose scope owns it.
        var padded = nn.functional.pad(x, [0, padW, 0, padH], PaddingModes.Constant, double.NegativeInfinity);
        return Apply(padded);
    }

    /// <summary>The side a side of length <paramref name="side"/> pools to in ceil mode: ⌈side/2⌉.</summary>
    public static int CeilSide(int side) => (side + 1) / 2;

    /// <summary>Pools <paramref name="x"/> [N, C, H, W] to [N, C, ⌊H/2⌋, ⌊W/2⌋].</summary>
    public static Tensor Apply(Tensor x)
    {
        if (x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32 || x.dim() != 4 || x.shape[2] < 2 || x.shape[3] < 2)
            return nn.functional.max_pool2d(x, 2);
        if (x.requires_grad && is_grad_enabled()) return PoolFunction.apply(x);
        var (y, k) = Forward(x);
        k.Dispose();
        return y;
    }

    /// <summary>The pooled tensor and, per output, which element of its window was the maximum (0–3, row-major).</summary>
    internal static unsafe (Tensor Y, Tensor Which) Forward(Tensor x)
    {
        using var xc = x.contiguous();
        long n = xc.shape[0], c = xc.shape[1], h = xc.shape[2], w = xc.shape[3], oh = h / 2, ow = w / 2, planes = n * c;
        var y = empty([n, c, oh, ow], ScalarType.Float32);
        var which = empty([n, c, oh, ow], ScalarType.Byte);
        nint src = Address(xc), dst = Address(y), ix = Address(which);
        ForPlanes(planes, planes * oh * ow, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                for (long r = 0; r < oh; r++)
                {
                    float* row0 = (float*)src + p * h * w + 2 * r * w;
                    PoolRow(row0, row0 + w, (float*)dst + (p * oh + r) * ow, (byte*)ix + (p * oh + r) * ow, (int)ow);
                }
        });
        return (y, which);
    }

    /// <summary>The gradient with respect to the input: each output's gradient at its window's maximum, zero elsewhere.</summary>
    internal static unsafe Tensor Backward(Tensor grad, Tensor which, long[] shape)
    {
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3], oh = h / 2, ow = w / 2, planes = n * c;
        if (grad.requires_grad) return DifferentiableBackward(grad, which, shape);
        using var g = grad.contiguous();
        // Every element of the covered rows and columns is written below; an odd side leaves a row or column that is not.
        var input = h % 2 != 0 || w % 2 != 0 ? zeros(shape, ScalarType.Float32) : empty(shape, ScalarType.Float32);
        nint src = Address(g), dst = Address(input), ix = Address(which);
        ForPlanes(planes, planes * oh * ow, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                for (long r = 0; r < oh; r++)
                {
                    float* row0 = (float*)dst + p * h * w + 2 * r * w;
                    ScatterRow((float*)src + (p * oh + r) * ow, (byte*)ix + (p * oh + r) * ow, row0, row0 + w, (int)ow);
                }
        });
        return input;
    }

    /// <summary>The same gradient from autograd-recorded operations (a scatter into the flattened planes).</summary>
    private static Tensor DifferentiableBackward(Tensor grad, Tensor which, long[] shape)
    {
        using var scope = NewDisposeScope();
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3], oh = h / 2, ow = w / 2;
        var k = which.to_type(ScalarType.Int64);
        var rows = arange(oh, ScalarType.Int64).view(oh, 1).mul(2 * w);
        var cols = arange(ow, ScalarType.Int64).view(1, ow).mul(2);
        var at = k.bitwise_right_shift(1).mul(w).add(k.bitwise_and(1)).add(rows).add(cols).view(n * c, oh * ow);
        var input = zeros([n * c, h * w], ScalarType.Float32).scatter(1, at, grad.reshape(n * c, oh * ow));
        return input.view(shape).MoveToOuterDisposeScope();
    }

    private static unsafe nint Address(Tensor t)
    {
        fixed (byte* p = t.bytes) return (nint)p;
    }

    /// <summary>Splits the planes over torch's intra-op thread count (one part for small tensors).</summary>
    private static void ForPlanes(long planes, long outputs, Action<long, long> body)
    {
        int parts = outputs < 16_384 ? 1 : (int)Math.Min(TorchRuntime.EnsureInitialized(), planes);
        if (parts == 1)
        {
            body(0, planes);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => body(planes * part / parts, planes * (part + 1) / parts));
    }

    private static unsafe void PoolRow(float* row0, float* row1, float* o, byte* k, int ow)
    {
        // Blocks of 8 (or 4) windows; the last block is moved back to end at the row's end, recomputing a few windows.
        if (Avx2.IsSupported && ow >= 8)
        {
            for (int q = 0; ; q += 8)
            {
                if (q > ow - 8) q = ow - 8;
                Pool8(row0 + 2 * q, row1 + 2 * q, o + q, k + q);
                if (q == ow - 8) return;
            }
        }
        if (Sse41.IsSupported && ow >= 4)
        {
            for (int q = 0; ; q += 4)
            {
                if (q > ow - 4) q = ow - 4;
                Pool4(row0 + 2 * q, row1 + 2 * q, o + q, k + q);
                if (q == ow - 4) return;
            }
        }
        for (int q = 0; q < ow; q++)
        {
            float m = row0[2 * q];
            byte which = 0;
            float b = row0[2 * q + 1];
            if (b > m || float.IsNaN(b)) { m = b; which = 1; }
            float cc = row1[2 * q];
            if (cc > m || float.IsNaN(cc)) { m = cc; which = 2; }
            float d = row1[2 * q + 1];
            if (d > m || float.IsNaN(d)) { m = d; which = 3; }
            o[q] = m;
            k[q] = which;
        }
    }

    private static unsafe void Pool8(float* r0, float* r1, float* o, byte* k)
    {
        var (a, b) = Deinterleave(Avx.LoadVector256(r0), Avx.LoadVector256(r0 + 8));
        var (c, d) = Deinterleave(Avx.LoadVector256(r1), Avx.LoadVector256(r1 + 8));
        var m = a;
        var which = Vector256<int>.Zero;
        Take(ref m, ref which, b, 1);
        Take(ref m, ref which, c, 2);
        Take(ref m, ref which, d, 3);
        Avx.Store(o, m);
        var bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(which, which), Avx2.PackSignedSaturate(which, which)).AsUInt32();
        *(uint*)k = bytes.GetElement(0);
        *(uint*)(k + 4) = bytes.GetElement(4);
    }

    private static (Vector256<float> Even, Vector256<float> Odd) Deinterleave(Vector256<float> v0, Vector256<float> v1) =>
        (Avx2.Permute4x64(Avx.Shuffle(v0, v1, 0x88).AsDouble(), 0xD8).AsSingle(),
         Avx2.Permute4x64(Avx.Shuffle(v0, v1, 0xDD).AsDouble(), 0xD8).AsSingle());

    private static void Take(ref Vector256<float> m, ref Vector256<int> which, Vector256<float> v, int index)
    {
        var take = Avx.Or(Avx.CompareGreaterThan(v, m), Avx.CompareUnordered(v, v));
        m = Avx.BlendVariable(m, v, take);
        which = Avx2.BlendVariable(which, Vector256.Create(index), take.AsInt32());
    }

    private static unsafe void Pool4(float* r0, float* r1, float* o, byte* k)
    {
        Vector128<float> v0 = Sse.LoadVector128(r0), v1 = Sse.LoadVector128(r0 + 4), u0 = Sse.LoadVector128(r1), u1 = Sse.LoadVector128(r1 + 4);
        var m = Sse.Shuffle(v0, v1, 0x88);
        var which = Vector128<int>.Zero;
        Take(ref m, ref which, Sse.Shuffle(v0, v1, 0xDD), 1);
        Take(ref m, ref which, Sse.Shuffle(u0, u1, 0x88), 2);
        Take(ref m, ref which, Sse.Shuffle(u0, u1, 0xDD), 3);
        Sse.Store(o, m);
        var packed = Sse2.PackSignedSaturate(which, which);
        *(uint*)k = Sse2.PackUnsignedSaturate(packed, packed).AsUInt32().GetElement(0);
    }

    private static void Take(ref Vector128<float> m, ref Vector128<int> which, Vector128<float> v, int index)
    {
        var take = Sse.Or(Sse.CompareGreaterThan(v, m), Sse.CompareUnordered(v, v));
        m = Sse41.BlendVariable(m, v, take);
        which = Sse41.BlendVariable(which, Vector128.Create(index), take.AsInt32());
    }

    private static unsafe void ScatterRow(float* g, byte* k, float* r0, float* r1, int ow)
    {
        if (Avx2.IsSupported && ow >= 8)
        {
            for (int q = 0; ; q += 8)
            {
                if (q > ow - 8) q = ow - 8;
                Scatter8(g + q, k + q, r0 + 2 * q, r1 + 2 * q);
                if (q == ow - 8) return;
            }
        }
        if (Sse41.IsSupported && ow >= 4)
        {
            for (int q = 0; ; q += 4)
            {
                if (q > ow - 4) q = ow - 4;
                Scatter4(g + q, k + q, r0 + 2 * q, r1 + 2 * q);
                if (q == ow - 4) return;
            }
        }
        for (int q = 0; q < ow; q++)
        {
            float v = 0f + g[q]; // as libtorch accumulates into a zeroed gradient: -0 becomes +0
            int which = k[q];
            r0[2 * q] = which == 0 ? v : 0f;
            r0[2 * q + 1] = which == 1 ? v : 0f;
            r1[2 * q] = which == 2 ? v : 0f;
            r1[2 * q + 1] = which == 3 ? v : 0f;
        }
    }

    private static unsafe void Scatter8(float* g, byte* k, float* r0, float* r1)
    {
        var v = Avx.Add(Vector256<float>.Zero, Avx.LoadVector256(g));
        var which = Avx2.ConvertToVector256Int32(k);
        var a = Avx.And(v, Avx2.CompareEqual(which, Vector256<int>.Zero).AsSingle());
        var b = Avx.And(v, Avx2.CompareEqual(which, Vector256.Create(1)).AsSingle());
        var c = Avx.And(v, Avx2.CompareEqual(which, Vector256.Create(2)).AsSingle());
        var d = Avx.And(v, Avx2.CompareEqual(which, Vector256.Create(3)).AsSingle());
        Interleave(a, b, r0);
        Interleave(c, d, r1);
    }

    private static unsafe void Interleave(Vector256<float> even, Vector256<float> odd, float* to)
    {
        var lo = Avx.UnpackLow(even, odd);
        var hi = Avx.UnpackHigh(even, odd);
        Avx.Store(to, Avx.Permute2x128(lo, hi, 0x20));
        Avx.Store(to + 8, Avx.Permute2x128(lo, hi, 0x31));
    }

    private static unsafe void Scatter4(float* g, byte* k, float* r0, float* r1)
    {
        var v = Sse.Add(Vector128<float>.Zero, Sse.LoadVector128(g));
        var which = Sse41.ConvertToVector128Int32(k);
        var a = Sse.And(v, Sse2.CompareEqual(which, Vector128<int>.Zero).AsSingle());
        var b = Sse.And(v, Sse2.CompareEqual(which, Vector128.Create(1)).AsSingle());
        var c = Sse.And(v, Sse2.CompareEqual(which, Vector128.Create(2)).AsSingle());
        var d = Sse.And(v, Sse2.CompareEqual(which, Vector128.Create(3)).AsSingle());
        Sse.Store(r0, Sse.UnpackLow(a, b));
        Sse.Store(r0 + 4, Sse.UnpackHigh(a, b));
        Sse.Store(r1, Sse.UnpackLow(c, d));
        Sse.Store(r1 + 4, Sse.UnpackHigh(c, d));
    }

    /// <summary>The autograd node: keeps which element won in each window (one byte per output) for the backward.</summary>
    private sealed class PoolFunction : autograd.SingleTensorFunction<PoolFunction>
    {
        public override string Name => nameof(MaxPool2x2);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var (y, which) = Forward(x);
            ctx.save_for_backward([which]);
            ctx.save_data("shape", x.shape);
            return y;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad) =>
            [Backward(grad, ctx.get_saved_variables()[0], (long[])ctx.get_data("shape"))];
    }
}
