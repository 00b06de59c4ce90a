using System.CommandLine;
using AcpHost.PostMortem;
using AcpHost.Hosting;
using AcpHost.Settings;
using AcpHost.Storage.Transcripts;
using AcpHost.Usage;

namespace AcpHost.Cli;

/// <summary>What <c>acphost scan</c>, <c>usage</c> and <c>report</c> share: the folders, <c>--since</c>, <c>--project</c>.</summary>
internal sealed class PostMortemOptions
{
    /// <summary>The exit code when none of the folders could be scanned.</summary>
    public const int NothingScanned = 1;

    private readonly Func<string, string?>? _environment;

    public PostMortemOptions(Func<string, string?>? environment)
    {
        _environment = environment;
    }

    public Argument<string[]> Folders { get; } = new("DIR")
    {
        Description = "Folders searched recursively for *.jsonl transcripts (or transcript files). Default: $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Since { get; } = new("--since")
    {
        Description = "Only compactions and model requests at or after TIME: " + SinceParser.Accepted,
        HelpName = "TIME",
    };

    public Option<string?> Project { get; } = new("--project")
    {
        Description = "Only projects whose working directory contains TEXT (case-insensitive)",
        HelpName = "TEXT",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Folders);
        command.Options.Add(Since);
        command.Options.Add(Project);
    }

    /// <summary>The folders to scan: those given, else Claude Code's projects folder.</summary>
    public IReadOnlyList<string> Roots(ParseResult parse) =>
        parse.GetValue(Folders) is { Length: > 0 } given ? given : [Path.Combine(TranscriptPaths.ConfigDir(null, _environment), "projects")];

    /// <summary>The scan the command line asks for; throws <see cref="FormatException"/> for a bad <c>--since</c>.</summary>
    public ScanOptions ToScanOptions(ParseResult parse)
    {
        DateTimeOffset? since = null;
        if (parse.GetValue(Since) is { } text)
        {
            since = SinceParser.TryParse(text, TimeProvider.System.GetUtcNow(), out DateTimeOffset moment)
                ? moment
                : throw new FormatException($"--since '{text}' is not {SinceParser.Accepted}");
        }

        TextWriter error = parse.InvocationConfiguration.Error;
        return new ScanOptions
        {
            Roots = Roots(parse),
            Since = since,
            Project = parse.GetValue(Project),
            Progress = total => new ScanProgress(error, total, interactive: !Console.IsErrorRedirected).Add,
        };
    }

    /// <summary>
    /// The prices and cache lifetimes the settings give (<c>Pricing:Models:…</c>, <c>Usage:…</c>, from
    /// <c>appsettings.json</c>, <c>ACPHOST_</c> variables and <c>--set</c>); throws <see cref="FormatException"/> naming a bad key.
    /// </summary>
    public static UsageSettings UsageSettings(CommonOptions common, ParseResult parse) =>
        AcpHost.Usage.UsageSettings.FromConfiguration(HostConfiguration.Build(common.ToOverrides(parse)));

    /// <summary>
    /// The host's ledgers in <c>--data-dir</c>, when given; null without it, or after a warning on stderr when they
    /// cannot be read (the transcripts are worth showing without them).
    /// </summary>
    public static async Task<HostLedgers?> LedgersAsync(ParseResult parse, CommonOptions common, Func<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(common);
        if (parse.GetValue(common.DataDir) is not { Length: > 0 } dataDir)
        {
            return null;
        }

        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            HostLedgers ledgers = HostLedgers.Load(DataDirectory.Resolve(dataDir, environment));
            if (ledgers.SkippedLines > 0)
            {
                await error.WriteLineAsync($"acphost: warning: skipped {ledgers.SkippedLines} unreadable ledger line(s) in {ledgers.DataDir}").ConfigureAwait(false);
            }

            return ledgers;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"acphost: warning: cannot read the ledgers in {dataDir}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Says on stderr what was scanned and what was not. Returns false when no folder given could be found: nothing
    /// was scanned, which must not pass for "no compactions".
    /// </summary>
    public static async Task<bool> ReportScanAsync(TextWriter error, ScanResult scan, int roots)
    {
        foreach (UnreadableFile file in scan.Unreadable)
        {
            await error.WriteLineAsync(TerminalText.Escape($"acphost: cannot read {file.Path}: {file.Reason}")).ConfigureAwait(false);
        }

        await error.WriteLineAsync(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"acphost: scanned {scan.Files:N0} transcripts ({scan.Bytes / (1024.0 * 1024):N1} MB) in {scan.Elapsed.TotalSeconds:N2} s; {scan.MalformedLines:N0} malformed lines skipped")).ConfigureAwait(false);
        return scan.Files > 0 || scan.Unreadable.Count(file => file.Reason is TranscriptScanner.Missing or TranscriptScanner.NotRegular) < roots;
    }

    /// <summary>
    /// Parses the options and scans: the result, or the exit code when there is none (2 for a bad command line, 1 when
    /// nothing could be scanned; the reason is on stderr already). <paramref name="adjust"/> adds what one command
    /// asks more; it may throw <see cref="FormatException"/> for a bad setting.
    /// </summary>
    public async Task<(ScanResult? Scan, int ExitCode)> ScanAsync(ParseResult parse, CancellationToken cancellationToken, Func<ScanOptions, ScanOptions>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        TextWriter error = parse.InvocationConfiguration.Error;
        ScanOptions options;
        try
        {
            options = ToScanOptions(parse);
            options = adjust?.Invoke(options) ?? options;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync("acphost: " + ex.Message).ConfigureAwait(false);
            return (null, Hosting.ExitStatus.StartupFailed);
        }

        ScanResult scan = await TranscriptScanner.ScanAsync(options, cancellationToken).ConfigureAwait(false);
        return await ReportScanAsync(error, scan, options.Roots.Count).ConfigureAwait(false) ? (scan, 0) : (null, NothingScanned);
    }
}
