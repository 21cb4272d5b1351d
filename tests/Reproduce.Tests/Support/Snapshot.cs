using System.Globalization;
using System.Reflection;
using System.Text;
using Unlearning.Claims;
using Unlearning.Data;
using Unlearning.Scenarios;
using Xunit;
using Xunit.Sdk;

namespace Reproduce.Tests.Support;

/// <summary>A pinned metric: its value now, the absolute tolerance it may drift by, and the paper's value if any.</summary>
public sealed record Pinned(double Value, double Tolerance, double? Paper = null);

/// <summary>
/// Verify-style snapshots of metric outputs with per-metric absolute tolerances. The pinned file is
/// <c>expected/snapshots/{scale}/{name}.verified.json</c>. On a mismatch (or a missing pin) the current values
/// are written beside it as <c>{name}.received.json</c> and the test fails with a table of
/// paper / pinned / now / |Δ| / tolerance. Accepting = renaming received to verified (README).
/// </summary>
public sealed class SnapshotStore(string directory, bool writeReceivedAlways = false)
{
    /// <summary>The store under <c>expected/snapshots</c> of this repository.</summary>
    public static SnapshotStore Default { get; } = new(Repo.At("expected", "snapshots"), Environment.GetEnvironmentVariable("REPRO_SNAPSHOTS") == "received");

    /// <summary>The root directory (holding one folder per scale).</summary>
    public string Directory { get; } = directory;

    /// <summary>Path of the verified file of <paramref name="name"/> at <paramref name="scale"/>.</summary>
    public string VerifiedPath(string name, Scale scale) => Path.Combine(Directory, ScaleName(scale), name + ".verified.json");

    /// <summary>Path of the received file of <paramref name="name"/> at <paramref name="scale"/>.</summary>
    public string ReceivedPath(string name, Scale scale) => Path.Combine(Directory, ScaleName(scale), name + ".received.json");

    /// <summary>
    /// Compares <paramref name="metrics"/> with the pinned snapshot. <paramref name="test"/> and <paramref name="variant"/>
    /// record which theory row owns the file (the dangling check resolves them).
    /// </summary>
    public void Match(string name, Scale scale, IReadOnlyDictionary<string, Pinned> metrics, string test, string variant = "")
    {
        var received = new PinFile(name, test, variant, ScaleName(scale),
            new SortedDictionary<string, double>(metrics.ToDictionary(m => m.Key, m => Round(m.Value.Value)), StringComparer.Ordinal),
            new SortedDictionary<string, double>(metrics.ToDictionary(m => m.Key, m => m.Value.Tolerance), StringComparer.Ordinal));
        string verifiedPath = VerifiedPath(name, scale), receivedPath = ReceivedPath(name, scale);
        if (!File.Exists(verifiedPath))
        {
            Write(receivedPath, received);
            if (scale != Scale.Ci) return; // only the ci scale is pinned; other scales leave a received file to inspect
            throw new XunitException($"Snapshot {name} ({received.Scale}) has no pinned values yet.\n{Table(metrics, null)}\n" +
                                     $"Wrote {receivedPath}\nTo accept: mv '{receivedPath}' '{verifiedPath}'");
        }
        var verified = Read(verifiedPath);
        var diffs = new List<string>();
        foreach (var key in verified.Metrics.Keys.Union(metrics.Keys).Order(StringComparer.Ordinal))
        {
            bool inV = verified.Metrics.TryGetValue(key, out double v), inR = metrics.TryGetValue(key, out var r);
            if (!inV) diffs.Add($"{key}: new metric (not pinned)");
            else if (!inR) diffs.Add($"{key}: pinned but no longer produced");
            else if (!(Math.Abs(v - r!.Value) <= Tolerance(verified, key, r))) diffs.Add($"{key}: |{r.Value:G6} − {v:G6}| = {Math.Abs(v - r.Value):G3} > {Tolerance(verified, key, r):G3}");
        }
        if (diffs.Count == 0)
        {
            // REPRO_SNAPSHOTS=received writes every run's values and tolerances beside the pins, for re-pinning on purpose.
            if (writeReceivedAlways) Write(receivedPath, received);
            else if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        Write(receivedPath, received);
        throw new XunitException(
            $"Snapshot {name} ({received.Scale}) drifted from {Path.GetRelativePath(Repo.Root, verifiedPath)}:\n" +
            Table(metrics, verified.Metrics) + "\n" + string.Join("\n", diffs.Select(d => "  ✗ " + d)) +
            $"\nWrote {receivedPath}\nIf the change is intended, accept it: mv '{receivedPath}' '{verifiedPath}'");
    }

    /// <summary>
    /// The tolerance a pinned metric is judged with: the one written into its verified file when the value was pinned
    /// (measured from the value's noise then), else the one the run computes.
    /// </summary>
    private static double Tolerance(PinFile verified, string key, Pinned now) =>
        verified.Tolerances != null && verified.Tolerances.TryGetValue(key, out double t) ? t : now.Tolerance;

    /// <summary>Reads a snapshot file; a malformed file is an error naming it.</summary>
    public static PinFile Read(string path) => PinFile.Read(path);

    /// <summary>Every verified file in the store.</summary>
    public IEnumerable<string> VerifiedFiles() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "*.verified.json", SearchOption.AllDirectories) : [];

    /// <summary>
    /// Verified files no theory produces any more: the recorded test method is gone, or its MemberData no longer
    /// yields the recorded variant. Returned as "path: reason".
    /// </summary>
    public IReadOnlyList<string> Dangling(Assembly tests)
    {
        var result = new List<string>();
        foreach (string path in VerifiedFiles().Order(StringComparer.Ordinal))
        {
            var s = Read(path);
            int dot = s.Test.LastIndexOf('.');
            var type = dot > 0 ? tests.GetType(s.Test[..dot]) : null;
            var method = type?.GetMethod(s.Test[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
            if (method == null) { result.Add($"{path}: test {s.Test} does not exist"); continue; }
            if (Path.GetFileName(path) != s.Name + ".verified.json") { result.Add($"{path}: file name does not match its name field '{s.Name}'"); continue; }
            var memberData = method.GetCustomAttributes<MemberDataAttribute>().ToList();
            if (s.Variant.Length == 0 || memberData.Count == 0) continue; // a fact owns its one file whatever its variant label
            var variants = memberData.SelectMany(md => Rows(md, method)).ToHashSet();
            if (!variants.Contains(s.Variant)) result.Add($"{path}: {s.Test} no longer has variant '{s.Variant}'");
        }
        return result;
    }

    /// <summary>The rows a MemberData yields, each as "cell, cell": read from the static member it names.</summary>
    private static IEnumerable<string> Rows(MemberDataAttribute md, MethodInfo method)
    {
        var type = md.MemberType ?? method.DeclaringType!;
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        object? data = type.GetProperty(md.MemberName, flags)?.GetValue(null) ?? type.GetField(md.MemberName, flags)?.GetValue(null)
                       ?? type.GetMethod(md.MemberName, flags, Type.EmptyTypes)?.Invoke(null, null);
        if (data is not System.Collections.IEnumerable rows) yield break;
        foreach (var row in rows)
            yield return string.Join(", ", (row switch { ITheoryDataRow r => r.GetData(), object?[] cells => cells, _ => [row] }).Select(cell => cell?.ToString()));
    }

    private static string Table(IReadOnlyDictionary<string, Pinned> now, IReadOnlyDictionary<string, double>? pinned)
    {
        var keys = now.Keys.Union(pinned?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal).ToList();
        int w = Math.Max(8, keys.Max(k => k.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"  {"metric".PadRight(w)}  {"paper",10}  {"pinned",10}  {"now",10}  {"|Δ|",10}  {"tolerance",10}");
        foreach (var k in keys)
        {
            now.TryGetValue(k, out var n);
            double? p = pinned != null && pinned.TryGetValue(k, out double pv) ? pv : null;
            string delta = n != null && p != null ? Math.Abs(n.Value - p.Value).ToString("G4", CultureInfo.InvariantCulture) : "";
            sb.AppendLine($"  {k.PadRight(w)}  {Fmt(n?.Paper),10}  {Fmt(p),10}  {Fmt(n?.Value),10}  {delta,10}  {Fmt(n?.Tolerance),10}");
        }
        return sb.ToString().TrimEnd();
    }

    private static string Fmt(double? v) => v?.ToString("G6", CultureInfo.InvariantCulture) ?? "–";

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 6) : v;

    private static void Write(string path, PinFile s) => s.Write(path);

    private static string ScaleName(Scale s) => s.ToString().ToLowerInvariant();
}
