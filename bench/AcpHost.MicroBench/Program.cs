using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AcpHost.MicroBench;

/// <summary>
/// Entry point. Runs in process (no generated project to build) with a short job, so the whole suite takes a couple of
/// minutes; pass BenchmarkDotNet's own arguments (e.g. <c>--filter *Classify*</c>, <c>--job default</c>) to change that.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        // Without a filter BenchmarkDotNet asks on the console which benchmarks to run; a script wants all of them.
        string[] arguments = args.Contains("--filter") ? args : [.. args, "--filter", "*"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments, config);
    }
}
