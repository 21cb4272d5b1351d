using static TorchSharp.torch;

namespace Unlearning.Poisoning;

/// <summary>
/// A poison trigger stamped onto images in [0, 1] (Potion §4: BadNet patch, sinusoid, moving trigger).
/// <see cref="Apply"/> returns a new tensor; the sample ids identify the images (dataset indices), so a
/// trigger whose placement varies per image places it the same way every time that image is drawn.
/// </summary>
public interface ITrigger
{
    /// <summary>Short name used in scenario names and reports.</summary>
    string Name { get; }

    /// <summary>Stamps the trigger on a batch [N, C, H, W].</summary>
    Tensor Apply(Tensor images, ReadOnlySpan<int> sampleIds);
}
