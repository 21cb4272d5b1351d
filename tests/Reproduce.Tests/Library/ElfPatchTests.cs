using Reproduce.Build;
using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public class ElfPatchTests
{
    private static string ShippedLibrary()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    [Fact]
    public void Marking_is_idempotent_and_touches_only_the_flag_bytes()
    {
        string shipped = ShippedLibrary();
        Assert.True(File.Exists(shipped), $"{shipped} not found (restore first)");
        byte[] original = File.ReadAllBytes(shipped);
        byte[] once = (byte[])original.Clone();
        WeakPatchResult first = ElfVersionNeeds.MarkWeak(once, "GLIBCXX_3.4.32", shipped);
        Assert.Equal(WeakPatchResult.Patched, first); // the NuGet cache copy is never edited by the build
        int changed = original.Zip(once).Count(p => p.First != p.Second);
        Assert.Equal(1, changed);
        byte[] twice = (byte[])once.Clone();
        Assert.Equal(WeakPatchResult.AlreadyWeak, ElfVersionNeeds.MarkWeak(twice, "GLIBCXX_3.4.32", shipped));
        Assert.Equal(once, twice);
        Assert.Equal(WeakPatchResult.VersionNotNeeded, ElfVersionNeeds.MarkWeak((byte[])original.Clone(), "GLIBCXX_9.9.99", shipped));
    }

    [Fact]
    public void Non_elf_and_truncated_inputs_are_clear_errors_naming_the_file()
    {
        var e1 = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak("not an elf file at all, just text"u8.ToArray().Concat(new byte[64]).ToArray(), "GLIBCXX_3.4.32", "x.so"));
        Assert.Contains("x.so: not an ELF file", e1.Message);
        byte[] head = File.ReadAllBytes(ShippedLibrary()).Take(200).ToArray();
        var e2 = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(head, "GLIBCXX_3.4.32", "cut.so"));
        Assert.Contains("cut.so: truncated ELF", e2.Message);
    }
}
