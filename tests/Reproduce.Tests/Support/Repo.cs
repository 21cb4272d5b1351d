namespace Reproduce.Tests.Support;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Reproduce.sln"))) return d.FullName;
        throw new InvalidOperationException($"cannot find Reproduce.sln above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootDir.Value;

    /// <summary>A path under the repository root.</summary>
    public static string At(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
