using Unlearning.Claims;
using Xunit.v3;

namespace Reproduce.Tests.Support;

/// <summary>
/// Marks a test as the theory of a claim. From the catalog it emits the traits <c>Claim</c>, <c>Paper</c>,
/// <c>Kind</c> and <c>Table</c> / <c>Figure</c> / <c>Theorem</c> / <c>Algorithm</c> / <c>Equation</c>, so
/// <c>dotnet test --filter "Paper=Healing&amp;Table=1"</c> selects it. An unknown id fails discovery loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ClaimAttribute(string id) : Attribute, ITraitAttribute
{
    /// <summary>The claim id (CLAIMS.md).</summary>
    public string Id { get; } = id;

    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits()
    {
        var claim = ClaimCatalog.Get(Id);
        var traits = new List<KeyValuePair<string, string>> { new("Claim", claim.Id), new("Paper", claim.Paper) };
        foreach (string kind in claim.Kind.Split('/')) traits.Add(new("Kind", kind));
        if (claim.Where.Length > 0)
        {
            int space = claim.Where.IndexOf(' ');
            string key = claim.Where[..space], value = claim.Where[(space + 1)..];
            foreach (string v in value.Split('-')) traits.Add(new(key, v));
        }
        return traits;
    }
}

/// <summary>
/// The scale trait every test carries: <c>unit</c> (no training), <c>smoke</c> (seconds of training), <c>ci</c>
/// (runs at the configured scale, ci by default).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ScaleAttribute(string scale) : Attribute, ITraitAttribute
{
    /// <summary>unit, smoke or ci.</summary>
    public string Scale { get; } = scale;

    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new("Scale", Scale)];
}
