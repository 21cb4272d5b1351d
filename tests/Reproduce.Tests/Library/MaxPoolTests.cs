using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Models;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

/// <summary>
/// <see cref="MaxPool2x2"/> is libtorch's <c>max_pool2d(x, 2)</c> bit for bit: outputs, gradients (ties, zeros, NaNs, odd
/// sides) and second derivatives; and pooling before the ReLU is pooling after it.
/// </summary>
[Collection(Serial.Name)]
[Scale("unit")]
public class MaxPoolTests
{
    public sealed record Case(int N, int C, int H, int W, float[] Values, float[] Gradient);

    // Few distinct values, so most windows hold ties; zeros and signed zeros included, now and then a NaN.
    private static Gen<float> Value =>
        Gen.Frequency((6, Gen.Choose(-3, 3).Select(v => v / 2f)), (1, Gen.Constant(-0f)), (3, Gen.Choose(-100_000, 100_000).Select(v => v / 1000f)),
            (1, Gen.Constant(float.NaN)));

    public static Arbitrary<Case> Cases() => CaseGen(minSide: 2, ceil: false).ToArbitrary();

    // Inputs of minSide..21 × minSide..37 and an output gradient of the pooled shape (floor or ceil mode).
    private static Gen<Case> CaseGen(int minSide, bool ceil) =>
        from n in Gen.Choose(1, 3)
        from c in Gen.Choose(1, 4)
        from h in Gen.Choose(minSide, 21)
        from w in Gen.Choose(minSide, 37)
        from values in Gen.ArrayOf(Value, n * c * h * w)
        from grad in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 64f), n * c * (ceil ? (h + 1) / 2 : h / 2) * (ceil ? (w + 1) / 2 : w / 2))
        select new Case(n, c, h, w, values, grad);

    private static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    private static (Tensor Y, Tensor Grad) Run(Case c, Func<Tensor, Tensor> pool)
    {
        var x = tensor(c.Values).reshape(c.N, c.C, c.H, c.W).requires_grad_(true);
        var y = pool(x);
        y.backward([tensor(c.Gradient).reshape(y.shape)]);
        return (y.detach(), x.grad!.detach());
    }

    [Property(Arbitrary = [typeof(MaxPoolTests)], MaxTest = 200)]
    public bool Outputs_and_gradients_are_libtorchs_bit_for_bit(Case c)
    {
        using var scope = NewDisposeScope();
        var (y0, g0) = Run(c, x => nn.functional.max_pool2d(x, 2));
        var (y1, g1) = Run(c, MaxPool2x2.Apply);
        return Same(y0, y1) && Same(g0, g1);
    }

    public sealed record CeilCase(Case Case);

    public static Arbitrary<CeilCase> CeilCases() => CaseGen(minSide: 1, ceil: true).Select(c => new CeilCase(c)).ToArbitrary();

    [Property(Arbitrary = [typeof(MaxPoolTests)], MaxTest = 200)]
    public bool Ceil_mode_outputs_and_gradients_are_libtorchs_bit_for_bit(CeilCase c)
    {
        // Odd sides keep their last row and column as windows of their own (SmallCnn's second pooling: 11 → 6).
        using var scope = NewDisposeScope();
        var (y0, g0) = Run(c.Case, x => nn.functional.max_pool2d(x, 2, ceil_mode: true));
        var (y1, g1) = Run(c.Case, MaxPool2x2.ApplyCeil);
        return Same(y0, y1) && Same(g0, g1);
    }

    [Property(Arbitrary = [typeof(MaxPoolTests)], MaxTest = 200)]
    public bool Pooling_before_the_relu_equals_pooling_after_it(Case c)
    {
        // SmallCnn and LipschitzCnn pool first; equal values and gradients keep their training what it was. (Signed
        // zeros may differ in the output, never in value.)
        using var scope = NewDisposeScope();
        var (y0, g0) = Run(c, x => nn.functional.max_pool2d(nn.functional.relu(x), 2));
        var (y1, g1) = Run(c, x => nn.functional.relu(MaxPool2x2.Apply(x)));
        return y0.eq(y1).logical_or(y0.isnan().logical_and(y1.isnan())).all().item<bool>() && Same(g0, g1);
    }

    [Theory]
    [InlineData(128, 32, 26, 26)]
    [InlineData(64, 64, 11, 11)]
    [InlineData(2, 3, 9, 16)]
    public void Forward_and_backward_equal_libtorch_on_a_SmallCnn_shaped_batch(int n, int c, int h, int w)
    {
        using var scope = NewDisposeScope();
        var x0 = randn(n, c, h, w);
        var g = randn(n, c, h / 2, w / 2);
        Tensor Grad(Func<Tensor, Tensor> pool)
        {
            var x = x0.clone().requires_grad_(true);
            pool(x).backward([g]);
            return x.grad!;
        }
        Assert.True(Same(nn.functional.max_pool2d(x0, 2), MaxPool2x2.Apply(x0)));
        Assert.True(Same(Grad(x => nn.functional.max_pool2d(x, 2)), Grad(MaxPool2x2.Apply)));
    }

    [Fact]
    public void A_Hessian_vector_product_through_it_equals_libtorchs()
    {
        // LiSSA (Influence unlearning) differentiates the gradient once more: the backward must be recorded too.
        using var scope = NewDisposeScope();
        var x = randn(4, 2, 8, 8);
        var weight = randn(3, 2, 3, 3).requires_grad_(true);
        var v = randn(3, 2, 3, 3);
        Tensor Hvp(Func<Tensor, Tensor> pool)
        {
            var loss = pool(nn.functional.conv2d(x, weight)).pow(2).sum();
            var grad = autograd.grad([loss], [weight], retain_graph: true, create_graph: true)[0];
            return autograd.grad([grad.mul(v).sum()], [weight])[0];
        }
        var expected = Hvp(t => nn.functional.max_pool2d(t, 2));
        Assert.True(expected.abs().sum().item<float>() > 0);
        Assert.True(Same(expected, Hvp(MaxPool2x2.Apply)));
    }
}
