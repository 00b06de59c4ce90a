namespace AcpHost.Tests.Relay;

/// <summary>Builds one large, valid notification line, LF included.</summary>
internal static class BigLines
{
    public static byte[] Notification(int textBytes)
    {
        byte[] head = """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","text":" """u8.ToArray();
        byte[] tail = "\"}}\n"u8.ToArray();
        byte[] line = new byte[head.Length + textBytes + tail.Length];
        head.CopyTo(line, 0);
        line.AsSpan(head.Length, textBytes).Fill((byte)'a');
        tail.CopyTo(line, head.Length + textBytes);
        return line;
    }
}
