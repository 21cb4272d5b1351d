using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Reproduce.Bench            (all benchmarks)
// dotnet run -c Release --project bench/Reproduce.Bench -- --filter '*Trainer*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
