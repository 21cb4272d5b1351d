using Reproduce.Build;
using Reproduce.Tests.Support;
using TorchSharp;
using Unlearning;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public class TorchInitTests
{
    [Fact]
    public void Torch_initialises_and_computes_on_cpu()
    {
        int threads = TorchRuntime.EnsureInitialized();
        Assert.True(threads > 0);
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, b.data<float>().ToArray());
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("cpu").type);
    }

    [Fact]
    public void On_glibc_large_tensors_are_kept_in_the_heap_and_the_report_says_so()
    {
        TorchRuntime.EnsureInitialized();
        bool glibc = OperatingSystem.IsLinux() && File.Exists("/lib/x86_64-linux-gnu/libc.so.6") | File.Exists("/usr/lib/x86_64-linux-gnu/libc.so.6");
        bool switchedOff = Environment.GetEnvironmentVariable(TorchRuntime.MallocVariable) == "default";
        Assert.Equal(glibc && !switchedOff, TorchRuntime.AllocatorTuned);
        Assert.Equal(TorchRuntime.AllocatorTuned, TorchRuntime.Describe().Contains("large blocks kept in the heap"));
    }

    [Fact]
    public void Unknown_device_setting_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.ResolveDevice("tpu"));
        Assert.Contains("unknown device 'tpu'", e.Message);
    }

    [Fact]
    public void Native_bridge_in_the_output_is_weak_marked_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        string lib = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(lib), $"{lib} missing from the test output");
        string? libstdcxx = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        Assert.NotNull(libstdcxx);
        bool systemHasIt = ElfVersionNeeds.ContainsAscii(File.ReadAllBytes(libstdcxx), "GLIBCXX_3.4.32");
        var copy = File.ReadAllBytes(lib);
        var result = ElfVersionNeeds.MarkWeak(copy, "GLIBCXX_3.4.32", lib);
        // On an old libstdc++ the build already marked it (so a second mark finds it weak); on a new one it left the file as shipped.
        Assert.Equal(systemHasIt ? WeakPatchResult.Patched : WeakPatchResult.AlreadyWeak, result);
    }
}
