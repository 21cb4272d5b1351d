using BenchmarkDotNet.Running;
using Reproduce.Bench;

// dotnet run -c Release --project bench/Reproduce.Bench            (all benchmarks, then the goals table)
// dotnet run -c Release --project bench/Reproduce.Bench -- --filter '*Trainer*'
if (args.Length == 0) args = ["--filter", "*"]; // no interactive menu: everything, then the tables
var summaries = BenchmarkSwitcher.FromAssembly(typeof(GoalSummary).Assembly).Run(args).ToList();
GoalSummary.Write(summaries, Console.Out);
UtilizationTable.Write(summaries, Console.Out);
PeerBenchmarks.CompareResults(Console.Out);
