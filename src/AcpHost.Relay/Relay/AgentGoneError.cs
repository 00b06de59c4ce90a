using System.Buffers;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>The <c>-32603</c> error a client request gets when the agent went away before answering it.</summary>
internal static class AgentGoneError
{
    /// <summary>
    /// Writes the error for <paramref name="id"/>: the exit code and the agent's last stderr lines, cut to
    /// <see cref="StderrQuote.MaxChars"/> however long they were.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, RequestId id, AgentExit exit)
    {
        string message = exit.ExitCode >= 0
            ? $"The agent exited (code {exit.ExitCode}) before answering"
            : "The agent is gone; the request was not delivered";
        IReadOnlyList<string> stderr = StderrQuote.Last(exit.LastStderrLines);
        JsonRpcWriter.WriteError(output, id, JsonRpcErrorCodes.InternalError, message, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("exitCode"u8, exit.ExitCode);
            writer.WriteStartArray("stderr"u8);
            foreach (string line in stderr)
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
