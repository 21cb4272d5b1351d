using TorchSharp;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>Copies weights and buffers between models of the same architecture.</summary>
public static class ModelCopy
{
    /// <summary>A fresh model from <paramref name="create"/> holding <paramref name="source"/>'s parameters and buffers.</summary>
    public static ImageClassifier Clone(ImageClassifier source, Func<ImageClassifier> create)
    {
        var copy = create();
        CopyInto(source, copy);
        copy.to(source.parameters().First().device);
        if (source.training) copy.train(); else copy.eval();
        return copy;
    }

    /// <summary>Overwrites <paramref name="target"/>'s parameters and buffers with <paramref name="source"/>'s.</summary>
    public static void CopyInto(ImageClassifier source, ImageClassifier target)
    {
        using var noGrad = no_grad();
        foreach (var ((name, s), (tname, t)) in source.named_parameters().Zip(target.named_parameters()))
        {
            if (name != tname) throw new ArgumentException($"parameter order differs: {name} vs {tname}");
            t.copy_(s);
        }
        foreach (var ((name, s), (tname, t)) in source.named_buffers().Zip(target.named_buffers()))
        {
            if (name != tname) throw new ArgumentException($"buffer order differs: {name} vs {tname}");
            t.copy_(s);
        }
    }

    /// <summary>
    /// The working copy a second-order unlearner edits in place: validates the request (and that it has a retain set),
    /// clones the model onto the request's device in eval mode. <paramref name="method"/> names the method in the error.
    /// </summary>
    public static (ImageClassifier Model, Device Device) EvalCopy(UnlearningRequest r, string method)
    {
        r.Validate();
        if (r.Retain.Length == 0) throw new ArgumentException($"{method} needs a non-empty retain set");
        var model = Clone(r.Model, r.CreateModel);
        var device = r.Device ?? CPU;
        model.to(device);
        model.eval();
        return (model, device);
    }
}
