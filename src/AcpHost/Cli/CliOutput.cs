namespace AcpHost.Cli;

/// <summary>
/// The one sanctioned writer to stdout, for commands that print results for people or scripts
/// (<c>install-agent</c>, later <c>compactions</c>, <c>sessions</c>). <c>acphost run</c> never uses it:
/// there stdout carries the protocol alone.
/// </summary>
internal static class CliOutput
{
#pragma warning disable RS0030 // Banned elsewhere on purpose; commands other than run own their stdout.
    public static void Line(string text) => Console.Out.WriteLine(text);
#pragma warning restore RS0030
}
