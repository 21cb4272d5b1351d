using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning;

/// <summary>
/// Process-level torch settings: the thread count (fixed, so the same seed gives the same numbers), the device
/// (a runtime setting: <c>cpu</c>, <c>cuda</c> or <c>auto</c>), and the lock that serialises code which seeds
/// torch's global generator (model initialisation), since TorchSharp initialisers draw from it.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable: intra-op thread count (default: the number of cores).</summary>
    public const string ThreadsVariable = "REPRO_THREADS";

    /// <summary>Environment variable: device, <c>cpu</c> (default), <c>cuda</c> or <c>auto</c>.</summary>
    public const string DeviceVariable = "REPRO_DEVICE";

    /// <summary>Held while seeding torch's global generator and drawing from it.</summary>
    public static readonly object GlobalRngGate = new();

    private static readonly object InitGate = new();
    private static int _threads;

    /// <summary>Initialises torch once: loads the native library and fixes the thread count. Returns the thread count.</summary>
    public static int EnsureInitialized()
    {
        lock (InitGate)
        {
            if (_threads > 0) return _threads;
            string? env = Environment.GetEnvironmentVariable(ThreadsVariable);
            int threads = int.TryParse(env, out int t) && t > 0 ? t : Environment.ProcessorCount;
            set_num_threads(threads);
            _threads = threads;
            return threads;
        }
    }

    /// <summary>Resolves a device setting (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>; null → <c>REPRO_DEVICE</c> or cpu).</summary>
    public static Device ResolveDevice(string? setting = null)
    {
        EnsureInitialized();
        string s = (setting ?? Environment.GetEnvironmentVariable(DeviceVariable) ?? "cpu").Trim().ToLowerInvariant();
        if (s is "" or "cpu") return CPU;
        if (s == "auto") return cuda.is_available() ? CUDA : CPU;
        if (s.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new InvalidOperationException($"device '{s}' requested but CUDA is not available (build with -p:TorchDevice=cuda on a machine with a GPU)");
            return new Device(s);
        }
        throw new ArgumentException($"unknown device '{s}' (expected cpu, cuda, cuda:N or auto)", nameof(setting));
    }

    /// <summary>A one-line description for reports: TorchSharp version, thread count, CUDA availability.</summary>
    public static string Describe()
    {
        int threads = EnsureInitialized();
        string version = typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";
        return $"TorchSharp {version}, {threads} threads, CUDA {(cuda.is_available() ? "available" : "not available")}";
    }
}
