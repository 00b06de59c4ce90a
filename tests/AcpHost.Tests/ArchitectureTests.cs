using AcpHost.Tests.Support;

namespace AcpHost.Tests;

/// <summary>
/// Holds the room plan (ARCHITECTURE.md, issue 16) by reading the sources: transport → protocol → relay inside
/// AcpHost.Relay; features that name no other feature, no transport and no control plane; events, state and storage
/// that name no feature; and no source file over 400 lines. What the code breaks today, while other rooms are being
/// rebuilt, is listed below with who fixes it; each entry must still be needed, so the lists only shrink.
/// </summary>
public class ArchitectureTests
{
    private const int Timeout = 30_000;
    private const int MaxLines = 400;

    /// <summary>Known breaches of the room plan: "file -> namespace it names", with who removes each.</summary>
    private static readonly HashSet<string> KnownReferenceBreaches = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Known files over <see cref="MaxLines"/> lines, with who splits each.</summary>
    private static readonly HashSet<string> KnownLongFiles = new(StringComparer.Ordinal)
    {
    };

    private static readonly SourceTree Tree = SourceTree.Load();

    [Fact(Timeout = Timeout)]
    public async Task Sources_FollowTheRoomPlan_ExceptTheKnownBreaches()
    {
        List<string> breaches = ReferenceBreaches();

        None(breaches.Except(KnownReferenceBreaches), "references that break the room plan");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task KnownBreaches_AreAllStillThere_SoTheListOnlyShrinks()
    {
        List<string> breaches = ReferenceBreaches();
        List<string> longFiles = LongFiles();

        None(KnownReferenceBreaches.Except(breaches), "known breaches that are gone: remove them from KnownReferenceBreaches");
        None(KnownLongFiles.Except(longFiles), "known long files that are short now: remove them from KnownLongFiles");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SourceFiles_AreAtMost400Lines_ExceptTheKnownOnes()
    {
        None(LongFiles().Except(KnownLongFiles), $"files over {MaxLines} lines");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SourceTree_SeesTheRoomsAndTheirReferences()
    {
        // The guard is only as good as its reading: it must see the rooms, and a reference it is known to hold.
        Assert.Contains(Tree.Files, f => f.Path.StartsWith("src/AcpHost.Relay/Transport/", StringComparison.Ordinal));
        Assert.Contains(Tree.Files, f => f.Path.StartsWith("src/AcpHost/Features/Fork/", StringComparison.Ordinal));
        Assert.Contains(Tree.Files, f => f.Path.StartsWith("tests/AcpHost.Tests/", StringComparison.Ordinal));
        SourceFile relay = Tree.Files.Single(f => f.Path == "src/AcpHost.Relay/Relay/JsonRpcRelay.cs");
        Assert.Contains("AcpHost.Relay.Transport", Tree.References(relay));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("namespace AcpHost.Features.Fork;\nusing AcpHost.Relay.Transport;\nclass A { }", "src/AcpHost/Features/Fork/A.cs -> AcpHost.Relay.Transport")]
    [InlineData("namespace AcpHost.Features.Fork;\nclass A { void F() => Compaction.CompactionRecorder.X(); }", "src/AcpHost/Features/Fork/A.cs -> AcpHost.Features.Compaction")]
    [InlineData("namespace AcpHost.Storage.Ledgers;\n/// <see cref=\"AcpHost.Features.Fork.ForkService\"/>\nclass A { }", "src/AcpHost/Storage/Ledgers/A.cs -> AcpHost.Features.Fork")]
    [InlineData("namespace AcpHost.Usage;\nusing AcpHost.Features.PostMortem;\nclass A { }", "src/AcpHost/Usage/A.cs -> AcpHost.Features.PostMortem")]
    [InlineData("namespace AcpHost.Storage.Transcripts;\nclass A { AcpHost.Usage.SessionUsage? U; }", "src/AcpHost/Storage/Transcripts/A.cs -> AcpHost.Usage")]
    public async Task Rules_CatchABreachWrittenAnyWay(string code, string expected)
    {
        string path = expected[..expected.IndexOf(" -> ", StringComparison.Ordinal)];
        SourceFile file = SourceFile.Read(path, code);

        IEnumerable<string> found = Breaches(file);

        Assert.Contains(expected, found);
        await Task.CompletedTask;
    }

    /// <summary>Fails listing every item, one a line, so that a breach can be found without a debugger.</summary>
    private static void None(IEnumerable<string> items, string what)
    {
        List<string> all = [.. items];
        Assert.True(all.Count == 0, $"{all.Count} {what}:\n{string.Join('\n', all)}");
    }

    private static List<string> ReferenceBreaches() =>
        [.. Tree.Files.Where(f => f.Path.StartsWith("src/", StringComparison.Ordinal)).SelectMany(Breaches).Order(StringComparer.Ordinal)];

    private static List<string> LongFiles() =>
        [.. Tree.Files.Where(f => f.Lines > MaxLines).Select(f => f.Path).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Breaches(SourceFile file) =>
        Tree.References(file).Where(target => !Allowed(file.Path, target)).Select(target => $"{file.Path} -> {target}");

    /// <summary>Whether a file in <paramref name="path"/> may name the namespace <paramref name="target"/>.</summary>
    private static bool Allowed(string path, string target)
    {
        static bool Under(string space, string root) => space == root || space.StartsWith(root + ".", StringComparison.Ordinal);

        if (path.StartsWith("src/AcpHost.Relay/Transport/", StringComparison.Ordinal))
        {
            return Under(target, "AcpHost.Relay.Transport") || Under(target, "AcpHost.Relay.Diagnostics");
        }

        if (path.StartsWith("src/AcpHost.Relay/Protocol/", StringComparison.Ordinal))
        {
            return !Under(target, "AcpHost.Relay.Relay") && Under(target, "AcpHost.Relay");
        }

        if (path.StartsWith("src/AcpHost.Relay/", StringComparison.Ordinal))
        {
            return Under(target, "AcpHost.Relay");
        }

        if (path.StartsWith("src/AcpHost/Features/", StringComparison.Ordinal))
        {
            string feature = "AcpHost.Features." + path["src/AcpHost/Features/".Length..].Split('/')[0];
            return !(Under(target, "AcpHost.Features") && !Under(target, feature))
                && !Under(target, "AcpHost.Relay.Transport")
                && !Under(target, "AcpHost.Control")
                && !(Under(target, "AcpHost.Features.Control") && feature != "AcpHost.Features.Control");
        }

        if (path.StartsWith("src/AcpHost/Events/", StringComparison.Ordinal)
            || path.StartsWith("src/AcpHost/State/", StringComparison.Ordinal)
            || path.StartsWith("src/AcpHost/Storage/", StringComparison.Ordinal))
        {
            // Storage holds the facts the usage model reads: naming the model back would make the two one room.
            return !Under(target, "AcpHost.Features") && !(path.StartsWith("src/AcpHost/Storage/", StringComparison.Ordinal) && Under(target, "AcpHost.Usage"));
        }

        if (path.StartsWith("src/AcpHost/Usage/", StringComparison.Ordinal))
        {
            // The usage model: fed by the post-mortem scan and, live, by a feature; it knows the transcripts' facts
            // (Storage) and configuration, nothing of who feeds it.
            return !Under(target, "AcpHost.Features") && !Under(target, "AcpHost.Control") && !Under(target, "AcpHost.Telemetry")
                && !Under(target, "AcpHost.Cli") && !Under(target, "AcpHost.Hosting") && !Under(target, "AcpHost.Relay");
        }

        return true;
    }
}
