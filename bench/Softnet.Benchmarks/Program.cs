using BenchmarkDotNet.Running;

// Micro-benchmarks of the data-plane hot paths. Pick with BenchmarkDotNet's switches, for example
//   dotnet run -c Release --project bench/Softnet.Benchmarks -- --filter '*Fib*'
// The whole-device rates on one core are measured by `softnet bench dataplane`.
BenchmarkSwitcher.FromAssembly(typeof(Softnet.Benchmarks.VectorRig).Assembly).Run(args);
