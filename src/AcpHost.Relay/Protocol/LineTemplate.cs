using System.Text;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// The exact bytes of the notification a peer sends most, as fixed parts with a JSON string value between each two:
/// a line that matches it byte for byte (whatever its strings hold) is classified without a general scan, and
/// interceptors can decline all such lines at once (<see cref="MessageInfo.IsChunk"/>). The protocol on top of
/// JSON-RPC supplies it; the relay only compares bytes.
/// </summary>
public sealed class LineTemplate
{
    /// <summary>
    /// Makes a template of <paramref name="parts"/>: the first is the line's start, the last its end, and a JSON string
    /// stands between each two. Every hole must be a member's value, never a name, and must not decide the method: the
    /// template, filled with any strings, must be one notification of one method. That is checked here, so that the
    /// fast path can never call a line something the general scan would not.
    /// </summary>
    public LineTemplate(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length < 2 || parts.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A template needs a start and an end around at least one string, none of them empty", nameof(parts));
        }

        if (parts.Skip(1).Any(part => part.TrimStart() is not [',' or '}' or ']', ..]))
        {
            throw new ArgumentException("A template's strings must be values: each part after one goes on with ',', '}' or ']'", nameof(parts));
        }

        Parts = [.. parts.Select(Encoding.UTF8.GetBytes)];
        MessageInfo empty = MessageClassifier.Classify(Encoding.UTF8.GetBytes(string.Join("\"\"", parts)));
        MessageInfo filled = MessageClassifier.Classify(Encoding.UTF8.GetBytes(string.Join("\"x\"", parts)));
        if (empty.Kind != MessageKind.Notification || filled.Kind != MessageKind.Notification || empty.Method != filled.Method)
        {
            throw new ArgumentException("A template must be a notification whose method its strings do not change", nameof(parts));
        }

        // Made once: every line of the template is classified the same, with the method string the classifier caches.
        Info = new MessageInfo(MessageKind.Notification, empty.Method, null, -1, 0, false, default, isChunk: true);
    }

    /// <summary>The method of every line of the template.</summary>
    public string Method => Info.Method!;

    /// <summary>What every line of the template classifies as.</summary>
    internal MessageInfo Info { get; }

    /// <summary>The fixed parts, as UTF-8.</summary>
    internal byte[][] Parts { get; }
}
