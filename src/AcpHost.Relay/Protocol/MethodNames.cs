using System.Text;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// A method name from its UTF-8 bytes. Once a bounded table that handed out one string per name; removed on 2026-11-26
/// because it bought nothing measurable in <c>scripts/bench.sh</c> (README, "What each micro-optimisation buys"). Its
/// last caller is the text-chunk template's one static name; it goes when that template moves to the ACP dialect.
/// </summary>
internal static class MethodNames
{
    /// <summary>The name whose unescaped UTF-8 bytes are <paramref name="utf8"/>.</summary>
    public static string Get(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
