using TorchSharp;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>
/// Selective Synaptic Dampening, Potion Eq. 1: for every parameter entry i with I_f,i &gt; α·I_D,i, θ_i ← β·θ_i with
/// β = min(λ·I_D,i / I_f,i, 1); every other entry is unchanged. No layer is excluded; buffers (BatchNorm running
/// statistics) are not parameters and stay as they are.
/// </summary>
public static class SsdDampening
{
    /// <summary>Dampens one tensor in place; returns how many entries were selected.</summary>
    public static long Dampen(Tensor theta, Tensor importanceD, Tensor importanceF, double alpha, double lambda)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var selected = importanceF.gt(importanceD.Times(alpha));
        var beta = importanceD.Times(lambda).div(importanceF).AtMost(1.0);
        theta.copy_(where(selected, theta.mul(beta), theta));
        return selected.sum().item<long>();
    }

    /// <summary>Dampens every parameter of <paramref name="model"/> in place; returns the number of selected entries.</summary>
    public static long Apply(ImageClassifier model, ParameterImportance importanceD, ParameterImportance importanceF, double alpha, double lambda)
    {
        long total = 0;
        foreach (var (name, p) in model.named_parameters())
            total += Dampen(p, importanceD.Values[name], importanceF.Values[name], alpha, lambda);
        return total;
    }
}
