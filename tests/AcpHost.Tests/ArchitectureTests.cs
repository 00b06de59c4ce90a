using AcpHost.Tests.Support;

namespace AcpHost.Tests;

/// <summary>
/// Holds the sources to the room plan of ARCHITECTURE.md, whose "Rooms" table this test reads (one copy of the rules):
/// a whitelist per room, so that a room without a row fails and so does each name its row does not allow; no cycle
/// between rooms; and no source file over 400 lines.
/// </summary>
public class ArchitectureTests
{
    private const int Timeout = 30_000;
    private const int MaxLines = 400;

    private static readonly SourceTree Tree = SourceTree.Load();
    private static readonly RoomPlan Plan = RoomPlan.Read(File.ReadAllText(Path.Combine(Tree.Root, "ARCHITECTURE.md")));

    private static IEnumerable<SourceFile> Sources => Tree.Files.Where(f => f.Path.StartsWith("src/", StringComparison.Ordinal));

    [Fact(Timeout = Timeout)]
    public async Task Sources_NameOnlyTheRoomsTheirRowAllows()
    {
        None(Breaches(Plan, Sources), "files that break the room plan of ARCHITECTURE.md");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Sources_FormNoCycleBetweenRooms()
    {
        None(RoomGraph.Cycles(RoomGraph.Edges(Tree, Sources).Select(e => (e.From, e.To))), "cycles between rooms");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Plan_HasARowForEachRoomThatExists_AndNoOther()
    {
        HashSet<string> rooms = [.. Sources.Select(f => RoomGraph.RoomOf(f.Path)!)];

        None(rooms.Where(r => !Plan.Has(r)).Order(StringComparer.Ordinal), "rooms without a row in ARCHITECTURE.md");
        None(Plan.Rooms.Where(r => !rooms.Contains(r)), "rows in ARCHITECTURE.md for rooms with no source file");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Plan_LetsEachRoomNameOnlyRoomsBelowIt()
    {
        None(Plan.UpwardPermissions(), "permissions in ARCHITECTURE.md that do not point down");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SourceFiles_DeclareTheNamespaceOfTheirRoom()
    {
        // The rules are read per folder and the references per namespace: the two must be the same thing.
        None(
            Sources.Where(f => f.Namespace is not null && RoomGraph.RoomOfNamespace(f.Namespace) != RoomGraph.RoomOf(f.Path)).Select(f => $"{f.Path}: namespace {f.Namespace}"),
            "files whose namespace is not their folder");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SourceFiles_AreAtMost400Lines()
    {
        None(Tree.Files.Where(f => f.Lines > MaxLines).Select(f => $"{f.Path}: {f.Lines}"), $"files over {MaxLines} lines");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SourceTree_SeesTheRoomsAndTheirReferences()
    {
        // The guard is only as good as its reading: it must see the rooms, and a reference it is known to hold.
        Assert.Contains(Tree.Files, f => f.Path.StartsWith("src/AcpHost.Relay/Transport/", StringComparison.Ordinal));
        Assert.Contains(Tree.Files, f => f.Path.StartsWith("src/AcpHost/Features/Fork/", StringComparison.Ordinal));
        SourceFile relay = Tree.Files.Single(f => f.Path == "src/AcpHost.Relay/Relay/JsonRpcRelay.cs");
        Assert.Contains("AcpHost.Relay.Transport", Tree.References(relay));
        Assert.True(Plan.Allows("Relay.Relay", "Relay.Transport"));
        Assert.Contains(RoomGraph.Edges(Tree, Sources), e => e.From == "Hosting" && e.To == "Features.Fork");
        await Task.CompletedTask;
    }

    // Breaches each way a file can name a room (a using, a static using, a name in full, a name qualified from an
    // enclosing namespace, a cref), among them a feature naming Hosting or Telemetry, Storage naming Control, Acp naming
    // a feature and Platform naming the relay engine, which rules written per room once let through.
    [Theory(Timeout = Timeout)]
    [InlineData("namespace AcpHost.Features.Fork;\nusing AcpHost.Hosting;\nclass A { }", "src/AcpHost/Features/Fork/A.cs -> AcpHost.Hosting")]
    [InlineData("namespace AcpHost.Features.Fork;\nclass A { AcpHost.Telemetry.TelemetryService? S; }", "src/AcpHost/Features/Fork/A.cs -> AcpHost.Telemetry")]
    [InlineData("namespace AcpHost.Storage.Ledgers;\n/// <see cref=\"Control.ControlEndpoint\"/>\nclass A { }", "src/AcpHost/Storage/Ledgers/A.cs -> AcpHost.Control")]
    [InlineData("namespace AcpHost.Acp;\nusing static AcpHost.Features.Fork.ForkService;\nclass A { }", "src/AcpHost/Acp/A.cs -> AcpHost.Features.Fork")]
    [InlineData("namespace AcpHost.Relay.Platform;\nclass A { Relay.JsonRpcRelay? R; }", "src/AcpHost.Relay/Platform/A.cs -> AcpHost.Relay.Relay")]
    [InlineData("namespace AcpHost.Agent;\nclass A { Hosting.RelayHost? H; }", "src/AcpHost/Agent/A.cs -> AcpHost.Hosting")]
    [InlineData("namespace AcpHost.Control;\nusing AcpHost.Hosting;\nclass A { }", "src/AcpHost/Control/A.cs -> AcpHost.Hosting")]
    [InlineData("namespace AcpHost.Features.Fork;\nusing AcpHost.Relay.Transport;\nclass A { }", "src/AcpHost/Features/Fork/A.cs -> AcpHost.Relay.Transport")]
    [InlineData("namespace AcpHost.Features.Fork;\nclass A { void F() => Compaction.CompactionSignals.X(); }", "src/AcpHost/Features/Fork/A.cs -> AcpHost.Features.Compaction")]
    [InlineData("namespace AcpHost.Storage.Ledgers;\n/// <see cref=\"AcpHost.Features.Fork.ForkService\"/>\nclass A { }", "src/AcpHost/Storage/Ledgers/A.cs -> AcpHost.Features.Fork")]
    [InlineData("namespace AcpHost.Usage;\nusing AcpHost.PostMortem;\nclass A { }", "src/AcpHost/Usage/A.cs -> AcpHost.PostMortem")]
    [InlineData("namespace AcpHost.Storage.Transcripts;\nclass A { AcpHost.Usage.SessionUsage? U; }", "src/AcpHost/Storage/Transcripts/A.cs -> AcpHost.Usage")]
    [InlineData("namespace AcpHost.Features.Fresh;\nclass A { }", "src/AcpHost/Features/Fresh/A.cs: room Features.Fresh has no row")]
    public async Task Rules_CatchABreachWrittenAnyWay(string code, string expected)
    {
        string path = expected[..expected.IndexOfAny([' ', ':'])];

        IEnumerable<string> found = Breaches(Plan, [SourceFile.Read(path, code)]);

        Assert.Contains(expected, found);
        await Task.CompletedTask;
    }

    // A file added to the real tree that closes a cycle: the Hosting cycles the settings move removed, and two low in
    // the plan where a cycle is easiest to close by accident.
    [Theory(Timeout = Timeout)]
    [InlineData("src/AcpHost/Telemetry/A.cs", "namespace AcpHost.Telemetry;\nusing AcpHost.Hosting;\nclass A { }", "Hosting -> Telemetry -> Hosting")]
    [InlineData("src/AcpHost/Agent/A.cs", "namespace AcpHost.Agent;\nclass A { Hosting.RelayHost? H; }", "Agent -> Hosting -> Agent")]
    [InlineData("src/AcpHost/Events/A.cs", "namespace AcpHost.Events;\nusing AcpHost.Acp;\nclass A { }", "Acp -> Events -> Acp")]
    [InlineData("src/AcpHost/Settings/A.cs", "namespace AcpHost.Settings;\nusing AcpHost.Control;\nclass A { }", "Control -> Settings -> Control")]
    public async Task CycleCheck_CatchesAPlantedCycle(string path, string code, string expected)
    {
        IEnumerable<SourceFile> planted = Sources.Append(SourceFile.Read(path, code));

        List<string> cycles = RoomGraph.Cycles(RoomGraph.Edges(Tree, planted).Select(e => (e.From, e.To)));

        Assert.Contains(expected, cycles);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task CycleCheck_FollowsALongerCycle()
    {
        List<string> cycles = RoomGraph.Cycles([("C", "A"), ("A", "B"), ("B", "C"), ("B", "D")]);

        Assert.Equal(["A -> B -> C -> A"], cycles);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("| `A` | top | `B` |\n| `B` | below | `A` |", "B may name A, which is not below it")]
    [InlineData("| `A` `B` | siblings | `B` |", "A may name B, which is not below it")]
    [InlineData("| `A` | top | `C` |\n| `B` | below | — |", "A may name C, which is not below it")]
    public async Task PlanCheck_CatchesARowThatNamesUp(string rows, string expected)
    {
        RoomPlan plan = RoomPlan.Read($"# Plan\n\n## Rooms\n| rooms | what | may name |\n|---|---|---|\n{rows}\n\n## Next\n");

        Assert.Contains(expected, plan.UpwardPermissions());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task PlanReader_ReadsEverythingBelowAndNone_AndRefusesOtherText()
    {
        RoomPlan plan = RoomPlan.Read("## Rooms\n| `A` | x | everything below |\n| `B` `C` | y | `D` |\n| `D` | z | — |\n");

        Assert.True(plan.Allows("A", "B") && plan.Allows("A", "C") && plan.Allows("A", "D") && plan.Allows("C", "D"));
        Assert.False(plan.Allows("B", "C") || plan.Allows("D", "A") || plan.Allows("E", "A"));
        Assert.Throws<FormatException>(() => RoomPlan.Read("## Rooms\n| `A` | x | all of them |\n"));
        await Task.CompletedTask;
    }

    /// <summary>Fails listing every item, one a line, so that a breach can be found without a debugger.</summary>
    private static void None(IEnumerable<string> items, string what)
    {
        List<string> all = [.. items];
        Assert.True(all.Count == 0, $"{all.Count} {what}:\n{string.Join('\n', all)}");
    }

    /// <summary>Each file of <paramref name="files"/> in a room without a row, and each name a file's row does not allow.</summary>
    private static List<string> Breaches(RoomPlan plan, IEnumerable<SourceFile> files)
    {
        List<SourceFile> all = [.. files];
        IEnumerable<string> homeless = all.Select(f => (f.Path, Room: RoomGraph.RoomOf(f.Path)!)).Where(f => !plan.Has(f.Room))
            .Select(f => $"{f.Path}: room {f.Room} has no row");
        IEnumerable<string> names = RoomGraph.Edges(Tree, all).Where(e => plan.Has(e.From) && !plan.Allows(e.From, e.To))
            .Select(e => $"{e.File.Path} -> AcpHost.{e.To}");
        return [.. homeless.Concat(names).Distinct().Order(StringComparer.Ordinal)];
    }
}
