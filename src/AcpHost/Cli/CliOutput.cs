using System.CommandLine;

namespace AcpHost.Cli;

/// <summary>
/// The one way commands print results for people or scripts (<c>install-agent</c>, <c>compactions</c>): through the
/// invocation's output, which is stdout from the console. <c>acphost run</c> never uses it: there stdout carries the
/// protocol alone.
/// </summary>
internal static class CliOutput
{
    /// <summary>
    /// Writes a line to the invocation's output: stdout when run from the console (System.CommandLine's default),
    /// a test's writer when a test invokes the command in-process.
    /// </summary>
    public static void Line(ParseResult parse, string text)
    {
        ArgumentNullException.ThrowIfNull(parse);
        // Every line for people passes here (JSON too, which holds no raw control characters): a path from a
        // transcript must never reach the terminal as an escape sequence.
        parse.InvocationConfiguration.Output.WriteLine(TerminalText.EscapeLines(text));
    }
}
