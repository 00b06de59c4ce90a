using System.Text;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using static AcpHost.Tests.PostMortem.TranscriptLines;

namespace AcpHost.Tests.Cli;

/// <summary>
/// What people read in a terminal never carries the control characters a transcript or ledger holds (ESC, BEL, …):
/// they are shown escaped, so a hostile path cannot drive the terminal.
/// </summary>
public sealed class TerminalTextTests : IDisposable
{
    private const int Timeout = 15_000;
    private const string Hostile = "x\u001b]0;pwned\u0007\u001b[31mred\u009b2J\u202e";

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-terminal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void AssertNoControlCharacters(string output)
    {
        Assert.DoesNotContain(output, c => (char.IsControl(c) && c != '\n') || c == '\u202e');
        Assert.Contains(@"\x1b]0;pwned\x07\x1b[31mred\x9b2J\u202e", output, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("plain /work/app", "plain /work/app")]
    [InlineData("a\tb\nc\rd", @"a\x09b\x0ac\x0dd")]
    [InlineData("bell\u0007 and del\u007f", @"bell\x07 and del\x7f")]
    [InlineData("bidi \u2066x\u2069", @"bidi \u2066x\u2069")]
    [InlineData("é漢字 stay", "é漢字 stay")]
    public async Task Escape_ControlAndBidiCharacters_AreShownAsEscapes(string text, string expected)
    {
        Assert.Equal(expected, AcpHost.Cli.TerminalText.Escape(text));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Escape_EveryCharacter_IsEscapedExactlyWhenControlOrBidi()
    {
        // The vectorised search must find exactly the characters the escaping rewrites: one missed would reach the
        // terminal raw through EscapeLines' fast path.
        for (int c = 0; c <= char.MaxValue; c++)
        {
            string one = ((char)c).ToString();
            bool isUnsafe = char.IsControl((char)c) || c is >= 0x202a and <= 0x202e or >= 0x2066 and <= 0x2069 or 0x200e or 0x200f or 0x061c;
            Assert.True(isUnsafe == !ReferenceEquals(one, AcpHost.Cli.TerminalText.Escape(one)), $"U+{c:X4}");
            Assert.True((isUnsafe && c != '\n') == !ReferenceEquals(one, AcpHost.Cli.TerminalText.EscapeLines(one)), $"U+{c:X4} in lines");
        }

        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task EscapeLines_OnlyLineBreaks_ReturnsTheSameText()
    {
        string json = "{\n  \"a\": 1,\n  \"b\": \"\\u001b\"\n}";

        Assert.Same(json, AcpHost.Cli.TerminalText.EscapeLines(json));
        Assert.Equal("a\n\\x1b\nb", AcpHost.Cli.TerminalText.EscapeLines("a\n\u001b\nb"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanTable_HostileCwdAndPath_IsEscaped()
    {
        string folder = Path.Combine(_folder, "projects", "-work-" + Hostile);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), Boundary("s" + Hostile, "/work/" + Hostile, T0, "auto", 1000) + "\n", new UTF8Encoding(false));

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["scan", Path.Combine(_folder, "projects")]);

        Assert.True(exitCode == 0, stderr);
        AssertNoControlCharacters(stdout);
    }

    [Fact(Timeout = Timeout)]
    public async Task CompactionsTable_HostileSessionId_IsEscaped()
    {
        await new CompactionLedger(_folder).AppendAsync(
            new CompactionRecord { Id = "c" + Hostile, SessionId = "s" + Hostile, Trigger = "auto" + Hostile, PreTokens = 10, At = DateTimeOffset.UtcNow, Source = CompactionSources.ToolCall },
            CancellationToken.None);

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["compactions", "--data-dir", _folder]);

        Assert.True(exitCode == 0, stderr);
        AssertNoControlCharacters(stdout);
    }

    [Fact(Timeout = Timeout)]
    public async Task SessionsTable_HostileCwd_IsEscaped()
    {
        await new SessionLedger(_folder).AppendAsync(new SessionRecord { SessionId = "s" + Hostile, Cwd = "/work/" + Hostile, CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["sessions", "--data-dir", _folder]);

        Assert.True(exitCode == 0, stderr);
        AssertNoControlCharacters(stdout);
    }
}
