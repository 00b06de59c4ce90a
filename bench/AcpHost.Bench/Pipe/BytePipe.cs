using System.Diagnostics;

namespace AcpHost.Bench.Pipe;

/// <summary>
/// The bare byte pipe role: spawns a command and copies stdin to its stdin and its stdout to stdout, 64 KiB at a time,
/// without looking at the bytes. It is the floor for any .NET relay built on the same streams, so the benchmark can
/// tell what a relay costs beyond simply being a process in the middle.
/// </summary>
internal static class BytePipe
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Runs <c>-- COMMAND [ARGS...]</c> until its stdout closes; returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int separator = Array.IndexOf(args, "--");
        if (separator < 0 || separator == args.Length - 1)
        {
            await Console.Error.WriteLineAsync("usage: acphost-bench pipe -- COMMAND [ARGS...]");
            return 2;
        }

        var startInfo = new ProcessStartInfo(args[separator + 1])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args.AsSpan(separator + 2))
        {
            startInfo.ArgumentList.Add(arg);
        }

        // The child's stderr is inherited: whoever reads ours reads its logs too.
        using var child = Process.Start(startInfo) ?? throw new InvalidOperationException("the command did not start");
        Stream childInput = child.StandardInput.BaseStream;
        Stream childOutput = child.StandardOutput.BaseStream;

        Task upstream = CopyThenCloseAsync(Console.OpenStandardInput(), childInput);
        await childOutput.CopyToAsync(Console.OpenStandardOutput(), BufferSize);
        await child.WaitForExitAsync();

        // When the child exits first the upstream copy may still be blocked reading our stdin; it must not keep us alive.
        if (upstream.IsFaulted)
        {
            await Console.Error.WriteLineAsync("pipe: copying to the child failed: " + upstream.Exception.GetBaseException().Message);
        }

        return child.ExitCode;
    }

    private static async Task CopyThenCloseAsync(Stream source, Stream destination)
    {
        try
        {
            await source.CopyToAsync(destination, BufferSize);
        }
        finally
        {
            // Closing the child's stdin is how it learns that our own input ended.
            await destination.DisposeAsync();
        }
    }
}
