using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;

namespace Unlearning.Scenarios;

/// <summary>
/// An immutable description of one base-model setting: data, split, architecture, training and seed. Its
/// <see cref="Hash"/> keys the model cache, so two scenarios that would train the same model share it.
/// <see cref="Name"/> and <see cref="Scale"/> label the scenario and are not part of the hash.
/// </summary>
public sealed record Scenario(string Name, Scale Scale, DatasetId Dataset, ModelSpec Model, SplitSpec Split, TrainingConfig Training, long Seed)
{
    /// <summary>Bumped whenever training code changes what a given scenario produces; invalidates cached models.</summary>
    public const int TrainingCodeVersion = 2;

    private static readonly JsonSerializerOptions HashJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>Canonical JSON of the hashed fields.</summary>
    public string CanonicalJson() => JsonSerializer.Serialize(new
    {
        v = TrainingCodeVersion,
        Dataset,
        Model,
        Split,
        Training,
        Seed,
    }, HashJson);

    /// <summary>
    /// Cache key of a model of this scenario trained on exactly <paramref name="indices"/> (any order), tagged with what
    /// else changes the training data (e.g. the poison it contains): same scenario, set and tag → same model.
    /// </summary>
    public string TrainingKey(IEnumerable<int> indices, string tag) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{CanonicalJson()}|train:{IndexHash(indices)}|{tag}")))[..16];

    /// <summary>16 hex digits of SHA-256 over a set of indices (order-independent).</summary>
    public static string IndexHash(IEnumerable<int> indices)
    {
        var sorted = indices.Order().ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sorted.AsSpan())))[..16];
    }

    /// <summary>First 16 hex digits of SHA-256 over <see cref="CanonicalJson"/>.</summary>
    [JsonIgnore]
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson())))[..16];

    /// <summary>The same scenario with another seed.</summary>
    public Scenario WithSeed(long seed) => this with { Seed = seed, Name = $"{Name}.seed{seed}" };
}
