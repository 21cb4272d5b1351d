using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Spectre.Console;
using Unlearning.Data;

namespace Reproduce.Cli;

/// <summary>
/// Keeps a native crash from costing the whole of <c>reproduce run</c>. The run itself happens in a worker process
/// (this program, same arguments); before each claim variant the worker writes the variant's name to
/// <c>--out/.running</c>. When the worker dies by a signal — a libtorch abort, a segmentation fault, the kernel's
/// out-of-memory kill — the supervisor reads that marker and starts a new worker, which resumes from results.json like
/// any restarted run: the crashed variant is tried once more (the faults seen so far were not deterministic), and if it
/// crashes a second time it is recorded as skipped with the exit code, and the run goes on with the next variant.
/// A crash outside any variant, or more than <see cref="MaxCrashes"/> in one run, ends it with exit code 3 and the
/// finished rows kept. A managed exception is not a crash: the worker records it as the variant's error row. Ctrl+C and
/// SIGTERM stop the worker and the run. <c>REPRO_SUPERVISE=0</c> runs in a single process.
/// </summary>
internal static class RunSupervisor
{
    private const string WorkerVariable = "REPRO_RUN_WORKER";
    private const string CrashedVariable = "REPRO_RUN_CRASHED";
    private const string OptOutVariable = "REPRO_SUPERVISE";

    /// <summary>Crashes of one variant after which it is recorded as crashed instead of being tried again.</summary>
    public const int CrashesBeforeSkipping = 2;

    /// <summary>Exit code when the run stops on crashes: one outside any claim variant, or more than <see cref="MaxCrashes"/>.</summary>
    public const int CrashOutsideVariant = 3;

    /// <summary>True in the worker process (or when supervision is switched off): run the claims here.</summary>
    public static bool RunsHere =>
        Environment.GetEnvironmentVariable(WorkerVariable) == "1" || Environment.GetEnvironmentVariable(OptOutVariable) == "0";

    /// <summary>The worker's note of the variant it is running, in the output directory.</summary>
    public static string MarkerPath(string outDir) => Path.Combine(outDir, ".running");

    /// <summary>The variants that crashed a worker earlier in this run, with how many times (read in the worker).</summary>
    public static IReadOnlyDictionary<(string Claim, string Variant), (int Count, int ExitCode)> Crashes()
    {
        var crashes = new Dictionary<(string, string), (int, int)>();
        string? text = Environment.GetEnvironmentVariable(CrashedVariable);
        if (string.IsNullOrEmpty(text)) return crashes;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            if (f.Length == 4) crashes[(f[0], f[1])] = (int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture));
        }
        return crashes;
    }

    /// <summary>In the worker: the variant about to run, so that a crash can be attributed to it.</summary>
    public static void Starting(string outDir, string claim, string variant) =>
        AtomicFile.WriteAllText(MarkerPath(outDir), claim + "\n" + variant);

    /// <summary>In the parent: the variant the worker was running when it died, or null if it was between variants.</summary>
    private static (string Claim, string Variant)? Running(string outDir)
    {
        string marker = MarkerPath(outDir);
        if (!File.Exists(marker)) return null;
        var lines = File.ReadAllText(marker).Split('\n', 2);
        return (lines[0], lines.Length > 1 ? lines[1] : "");
    }

    /// <summary>In the worker: the variant's row is written.</summary>
    public static void Finished(string outDir) => File.Delete(MarkerPath(outDir));

    /// <summary>Why a crashed variant has no result, for its row in the report.</summary>
    public static string CrashNote(int count, int exitCode) =>
        $"crashed: the process ended with {Describe(exitCode)} while running this variant, {count} times; " +
        "the run went on in a new process. The log above each crash shows the native error.";

    /// <summary>In the parent: runs workers until one ends normally; returns the exit code for the command.</summary>
    public static int Supervise(string outDir)
    {
        var crashes = new Dictionary<(string Claim, string Variant), (int Count, int ExitCode)>();
        var state = new SupervisorState();
        // Ctrl+C on a terminal reaches the worker too; a signal sent to this process alone is passed on. Either way the
        // worker's exit ends the run (no restart), with the worker's exit code.
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; state.Stop(SigInt); });
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; state.Stop(SigTerm); });
        string marker = MarkerPath(outDir);
        try
        {
            for (int restarts = 0; ; restarts++)
            {
                File.Delete(marker);
                int exit;
                using (var worker = state.Start(WorkerStartInfo(crashes)))
                {
                    if (worker == null) return 128 + SigInt; // stopped before it started
                    worker.WaitForExit();
                    exit = worker.ExitCode;
                }
                if (state.Stopped || exit is 0 or 1 or 2 || exit == 128 + SigInt || exit == 128 + SigTerm) return exit;
                if (Running(outDir) is not { } key)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] the run's process ended with {Describe(exit)} outside any claim variant; the finished variants are kept in {Path.Combine(outDir, "results.json")}: run it again without --fresh to resume");
                    return CrashOutsideVariant;
                }
                int count = crashes.TryGetValue(key, out var c) ? c.Count + 1 : 1;
                crashes[key] = (count, exit);
                if (count > CrashesBeforeSkipping || restarts + 1 >= MaxCrashes)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {key.Claim} · {key.Variant}: the process ended with {Describe(exit)}, crash {restarts + 1} of this run; stopping (the finished variants are kept in {Path.Combine(outDir, "results.json")})");
                    return CrashOutsideVariant;
                }
                string next = count < CrashesBeforeSkipping ? "trying this variant once more in a new process" : "recorded as crashed; going on with the next variant in a new process";
                AnsiConsole.MarkupLineInterpolated($"[red]{key.Claim} · {key.Variant}: the process ended with {Describe(exit)}[/]; {next}");
            }
        }
        finally
        {
            File.Delete(marker);
        }
    }

    private const int SigInt = 2, SigTerm = 15;

    /// <summary>Crashes in one run after which it stops: a fault that is not one variant's (a base model every variant needs).</summary>
    public const int MaxCrashes = 10;

    /// <summary>The worker process and the stop request, shared with the signal handlers.</summary>
    private sealed class SupervisorState
    {
        private readonly Lock _gate = new();
        private Process? _worker;
        private int _stopSignal;

        public bool Stopped { get { lock (_gate) return _stopSignal != 0; } }

        /// <summary>Starts a worker unless a stop was asked for.</summary>
        public Process? Start(ProcessStartInfo psi)
        {
            lock (_gate)
            {
                if (_stopSignal != 0) return null;
                _worker = Process.Start(psi) ?? throw new CliException("could not start the worker process");
                return _worker;
            }
        }

        /// <summary>Records the stop and passes the signal on to the running worker.</summary>
        public void Stop(int signal)
        {
            lock (_gate)
            {
                _stopSignal = signal;
                try
                {
                    if (_worker is { HasExited: false } w) PassOn(w, signal);
                }
                catch (InvalidOperationException) { } // disposed or gone: nothing to pass on
            }
        }
    }

    private static void PassOn(Process worker, int signal)
    {
        try { _ = kill(worker.Id, signal); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { worker.Kill(); } // not glibc
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private static ProcessStartInfo WorkerStartInfo(Dictionary<(string Claim, string Variant), (int Count, int ExitCode)> crashes)
    {
        string host = Environment.ProcessPath ?? throw new CliException("cannot tell this program's path to start the worker process");
        var psi = new ProcessStartInfo(host) { UseShellExecute = false }; // standard streams and the terminal are inherited
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(typeof(RunSupervisor).Assembly.Location);
        foreach (var a in Environment.GetCommandLineArgs().Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment[WorkerVariable] = "1";
        psi.Environment[CrashedVariable] = string.Join('\n', crashes.Select(kv =>
            string.Join('\t', kv.Key.Claim, kv.Key.Variant, kv.Value.Count.ToString(CultureInfo.InvariantCulture), kv.Value.ExitCode.ToString(CultureInfo.InvariantCulture))));
        return psi;
    }

    /// <summary>"exit code 134 (SIGABRT)": on Unix a process killed by signal s reports 128 + s.</summary>
    public static string Describe(int exitCode) => exitCode switch
    {
        134 => "exit code 134 (SIGABRT: an abort, e.g. from libtorch)",
        137 => "exit code 137 (SIGKILL: killed, e.g. by the kernel when memory ran out)",
        139 => "exit code 139 (SIGSEGV: a segmentation fault)",
        135 => "exit code 135 (SIGBUS)",
        136 => "exit code 136 (SIGFPE)",
        _ => $"exit code {exitCode}",
    };
}
