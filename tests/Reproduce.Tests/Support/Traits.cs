using Unlearning.Claims;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Reproduce.Tests.Support;

/// <summary>
/// Marks a test as the theory of a claim. From the catalog it emits the traits <c>Claim</c>, <c>Paper</c>,
/// <c>Kind</c> and <c>Table</c> / <c>Figure</c> / <c>Theorem</c> / <c>Algorithm</c> / <c>Equation</c>, so
/// <c>dotnet test --filter "Paper=Healing&amp;Table=1"</c> selects it. An unknown id fails discovery loudly.
/// </summary>
[TraitDiscoverer("Reproduce.Tests.Support.ClaimTraitDiscoverer", "Reproduce.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ClaimAttribute(string id) : Attribute, ITraitAttribute
{
    /// <summary>The claim id (CLAIMS.md).</summary>
    public string Id { get; } = id;
}

/// <summary>Emits the traits of <see cref="ClaimAttribute"/>.</summary>
public sealed class ClaimTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        string id = traitAttribute.GetConstructorArguments().Cast<string>().Single();
        var claim = ClaimCatalog.Get(id);
        yield return new("Claim", claim.Id);
        yield return new("Paper", claim.Paper);
        foreach (string kind in claim.Kind.Split('/')) yield return new("Kind", kind);
        if (claim.Where.Length > 0)
        {
            int space = claim.Where.IndexOf(' ');
            string key = claim.Where[..space], value = claim.Where[(space + 1)..];
            foreach (string v in value.Split('-')) yield return new(key, v);
        }
    }
}

/// <summary>
/// The scale trait every test carries: <c>unit</c> (no training), <c>smoke</c> (seconds of training), <c>ci</c>
/// (runs at the configured scale, ci by default).
/// </summary>
[TraitDiscoverer("Reproduce.Tests.Support.ScaleTraitDiscoverer", "Reproduce.Tests")]
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ScaleAttribute(string scale) : Attribute, ITraitAttribute
{
    /// <summary>unit, smoke or ci.</summary>
    public string Scale { get; } = scale;
}

/// <summary>Emits the <c>Scale</c> trait.</summary>
public sealed class ScaleTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Scale", traitAttribute.GetConstructorArguments().Cast<string>().Single());
    }
}
