using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Tests.Support;
using Xunit.Abstractions;

namespace AcpHost.Tests.Protocol.Differential;

/// <summary>
/// Holds the hand-written classifier (its fast paths and its reader pass alike, through the public entry points) to a
/// reference that reads each line as the agent's JSON.parse does, on generated lines of every shape. Seeded: the seed
/// is printed, and <c>ACPHOST_DIFF_SEED</c> replays a run (<c>ACPHOST_DIFF_COUNT</c> changes its length).
/// </summary>
public class ClassifierDifferentialTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 16;
    private const int DefaultCount = 20_000;
    private const int MaxReported = 10;

    [Fact(Timeout = 60_000)]
    public async Task Classify_GeneratedLinesOfEveryShape_AgreeWithJsonParseReading()
    {
        int seed = Setting("ACPHOST_DIFF_SEED", DefaultSeed);
        int count = Setting("ACPHOST_DIFF_COUNT", DefaultCount);
        output.WriteLine($"seed {seed} (ACPHOST_DIFF_SEED), {count} lines");
        var generator = new JsonLineGenerator(new Random(seed));
        var mismatches = new List<string>();
        var shapes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        TimeSpan cpu = ThreadCpuTime.Now();

        for (int index = 0; index < count; index++)
        {
            byte[] line = generator.Next();
            Verdict expected = ReferenceClassifier.Classify(line);
            Verdict actual = Verdict.Of(MessageClassifier.Classify(line));

            // The relay classifies with ACP's text-chunk template first: that fast path must agree as well.
            Verdict viaTemplate = Verdict.Of(MessageClassifier.Classify(line, AcpDialect.TextChunk));
            string key = expected.Kind == MessageKind.Invalid ? expected.Error.ToString() : expected.Kind.ToString();
            shapes[key] = shapes.GetValueOrDefault(key) + 1;

            string? difference = Agrees(expected, actual) ? null : $"expected {expected}\n  actual   {actual}";
            difference ??= Agrees(expected, viaTemplate) ? null : $"expected {expected}\n  template {viaTemplate}";
            difference ??= CancelTargetDifference(line, actual);
            if (difference is not null && mismatches.Count < MaxReported)
            {
                mismatches.Add($"seed {seed}, line #{index}: {Show(line)}\n  {difference}");
            }
            else if (difference is not null)
            {
                mismatches.Add("");
            }
        }

        cpu = ThreadCpuTime.Now() - cpu;
        output.WriteLine($"{clock.ElapsedMilliseconds} ms ({cpu.TotalMilliseconds:N0} ms CPU); verdicts: {string.Join(", ", shapes.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {count} lines read differently (seed {seed}):\n{string.Join("\n", mismatches.Where(m => m.Length > 0))}");

        // Every shape the reference knows was met, so a generator change cannot quietly stop testing one.
        Assert.All(Enum.GetValues<ErrorClass>().Where(e => e is not (ErrorClass.None or ErrorClass.Unknown or ErrorClass.Empty)), e => Assert.Contains(e.ToString(), shapes.Keys));
        Assert.All(new[] { "Request", "Notification", "Response" }, kind => Assert.True(shapes.GetValueOrDefault(kind) > count / 50, $"too few {kind} lines"));

        // Bounded in CPU time rather than on the wall clock, which on a loaded machine measures the machine.
        Assert.True(cpu < TimeSpan.FromSeconds(10), $"the run took {cpu.TotalSeconds:N1} s of CPU");
        await Task.CompletedTask;
    }

    private static bool Agrees(Verdict expected, Verdict actual)
    {
        if (expected.Error == ErrorClass.NotJson && actual.Error is ErrorClass.LoneSurrogate or ErrorClass.Empty)
        {
            // -32700 either way, only the wording differs: the reader met an id or method with half a surrogate pair
            // before the fault further on, or found no token at all (a line of whitespace, which the framer skips).
            return true;
        }

        return expected == actual;
    }

    /// <summary>The relay finds a cancel request's target with the dialect's <see cref="CancelNotification"/>: it must read what JSON.parse reads.</summary>
    private static string? CancelTargetDifference(byte[] line, Verdict actual)
    {
        if (actual.Kind != MessageKind.Notification || actual.Method != AcpDialect.CancelRequest)
        {
            return null;
        }

        (RequestId Id, long Start, long Length)? expected = ReferenceClassifier.CancelTarget(line);
        (RequestId Id, long Start, long Length)? found = AcpDialect.Instance.Cancel!.TryFindTarget(line, out RequestId id, out long start, out long length)
            ? (id, start, length)
            : null;
        return expected == found ? null : $"cancel target: expected {expected?.ToString() ?? "none"}, actual {found?.ToString() ?? "none"}";
    }

    private static string Show(byte[] line)
    {
        string text = Utf8.IsValid(line) ? Encoding.UTF8.GetString(line) : "(not UTF-8) " + Convert.ToHexString(line);
        return text.Length > 400 ? text[..400] + $"… ({line.Length} bytes)" : text;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
