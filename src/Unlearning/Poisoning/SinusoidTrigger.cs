using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Poisoning;

/// <summary>
/// Sinusoidal signal poison (Barni et al.; Potion §4.2): x + a·sin(2π·f·j) added along the image columns j,
/// frequency f = 0.025 cycles per pixel and amplitude a = 10% of the maximum pixel value, clamped to [0, 1].
/// Blended into the whole image instead of overlaid on a corner, which is why the paper finds it the hardest to unlearn.
/// </summary>
public sealed class SinusoidTrigger(double frequency = 0.025, double amplitude = 0.1) : ITrigger
{
    /// <inheritdoc />
    public string Name => "sinusoid";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, ReadOnlySpan<int> sampleIds)
    {
        using var scope = NewDisposeScope();
        long w = images.shape[3];
        var columns = ScalarMath.Range(w, ScalarType.Float32, images.device);
        var signal = columns.Times(2 * Math.PI * frequency).sin().Times(amplitude).view(1, 1, 1, w);
        return images.Plus(signal).Within(0, 1).MoveToOuterDisposeScope();
    }
}
