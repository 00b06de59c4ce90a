using AcpHost.Bench.Agent;
using AcpHost.Bench.Driver;
using AcpHost.Bench.Pipe;
using AcpHost.Bench.Soak;

namespace AcpHost.Bench;

/// <summary>Entry point: one executable plays the three roles, so the driver can spawn the other two from its own path.</summary>
internal static class Program
{
    private const string Usage = """
        usage:
          acphost-bench fake-agent                 answer initialize, bench/ping, bench/flood, session/new and
                                                   session/prompt on stdin/stdout
          acphost-bench pipe -- COMMAND [ARGS...]  bare byte pipe: relay stdin/stdout to COMMAND without parsing
          acphost-bench run [OPTIONS]              measure each relay against a direct connection (run --help)
          acphost-bench soak --acphost PATH [...]  soak acphost for minutes: no loss, no growth (soak --help)
          acphost-bench soak-agent                 the soak's agent end on stdin/stdout
        """;

    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "fake-agent":
                return await FakeAgent.RunAsync();
            case "pipe":
                return await BytePipe.RunAsync(args.AsSpan(1).ToArray());
            case "run":
                return await BenchDriver.RunAsync(args.AsSpan(1).ToArray());
            case "soak":
                return await SoakDriver.RunAsync(args.AsSpan(1).ToArray());
            case "soak-agent":
                return await SoakAgent.RunAsync();
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }
}
