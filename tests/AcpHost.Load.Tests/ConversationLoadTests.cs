using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using AcpHost.Load.Tests.Support;

namespace AcpHost.Load.Tests;

/// <summary>
/// The real acphost process between a client and the benchmark's fake agent, running sequential conversation turns
/// (<c>session/prompt</c>, answered with text chunks, a <c>usage_update</c> and <c>end_turn</c>). Unlike pings and
/// floods these pass the host's features on every turn, and each turn used to leave the first GC generation a little
/// fuller until its budget, some 20 MiB, was reached. Turns are counted, not timed, so a loaded machine
/// changes how long the test takes, not what it measures.
/// </summary>
public sealed class ConversationLoadTests : IDisposable
{
    private const int WarmTurns = 5_000;
    private const int Turns = 40_000;
    // Measured on the Debug build these tests run: the turns' first pass (their code compiled, the first collections)
    // costs about 3 MiB, then nothing; with a first generation sized to the CPU cache it cost 20 MiB.
    private const long TurnsLimitKiB = 10 * 1024;
    private const long GrowthLimitKiB = 4 * 1024;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-load-turns-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact(Timeout = 240_000)]
    public async Task Turns_ManySequentialPrompts_HostMemoryStaysFlat()
    {
        using Process host = Process.Start(Programs.HostWithFakeAgent(_dataDir))!;
        Task<string> stderr = host.StandardError.ReadToEndAsync();
        try
        {
            Stream toHost = host.StandardInput.BaseStream;
            var fromHost = PipeReader.Create(host.StandardOutput.BaseStream);
            await RoundTripAsync(toHost, fromHost, """{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":1}}""", "\"init\"");
            await RoundTripAsync(toHost, fromHost, """{"jsonrpc":"2.0","id":"new","method":"session/new","params":{"cwd":"/tmp","mcpServers":[]}}""", "\"new\"");

            // Idle a moment after session/new, as an editor's session does, so that the host gives back its start-up
            // pages (Relay:ReleaseStartupPages, within half a second of the first quiet) before the baseline: released
            // during the turns instead, the pages it reads again afterwards would count as growth after the warm-up.
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            ProcessMemory start = ProcessMemory.Read(host.Id) ?? throw new InvalidOperationException("acphost exited before the turns");
            ProcessMemory? warm = null;
            for (int turn = 1; turn <= Turns; turn++)
            {
                string id = $"\"t{turn}\"";
                string prompt = $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"session/prompt","params":{"sessionId":"sess_bench","prompt":[{"type":"text","text":"turn {{{turn}}}"}]}}""";
                string answer = await RoundTripAsync(toHost, fromHost, prompt, id);
                Assert.Contains("\"stopReason\":\"end_turn\"", answer, StringComparison.Ordinal);
                if (turn == WarmTurns)
                {
                    warm = ProcessMemory.Read(host.Id) ?? throw new InvalidOperationException("acphost exited during the turns");
                }
            }

            ProcessMemory end = ProcessMemory.Read(host.Id) ?? throw new InvalidOperationException("acphost exited during the turns");
            string figures = $"before the turns: {start}; after {WarmTurns:N0} turns: {warm}; after {Turns:N0}: {end}";
            Console.WriteLine($"acphost over a conversation: {figures}");
            Assert.True(end.PeakRssKiB - start.PeakRssKiB <= TurnsLimitKiB, $"the turns raised acphost's peak by more than {TurnsLimitKiB / 1024} MiB: {figures}");
            Assert.True(end.PeakRssKiB - warm!.Value.PeakRssKiB <= GrowthLimitKiB, $"acphost's peak grew by more than {GrowthLimitKiB / 1024} MiB after the first {WarmTurns:N0} turns: {figures}");

            host.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.WaitForExitAsync(exit.Token);
            Assert.True(host.ExitCode == 0, $"acphost exited {host.ExitCode}: {await stderr}");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Sends one request and reads lines up to the one that carries <paramref name="idMarker"/>, which it returns.</summary>
    private static async Task<string> RoundTripAsync(Stream toHost, PipeReader fromHost, string request, string idMarker)
    {
        await toHost.WriteAsync(Encoding.UTF8.GetBytes(request + "\n"));
        await toHost.FlushAsync();
        byte[] marker = Encoding.UTF8.GetBytes("\"id\":" + idMarker);
        while (true)
        {
            ReadResult result = await fromHost.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is SequencePosition end)
            {
                byte[] line = buffer.Slice(0, end).ToArray();
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (line.AsSpan().IndexOf(marker) >= 0)
                {
                    fromHost.AdvanceTo(buffer.Start);
                    return Encoding.UTF8.GetString(line);
                }
            }

            fromHost.AdvanceTo(buffer.Start, buffer.End);
            Assert.False(result.IsCompleted, "acphost closed its stdout before answering");
        }
    }
}
