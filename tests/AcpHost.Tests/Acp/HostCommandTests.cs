using System.Text.Json.Nodes;
using AcpHost.Acp;

namespace AcpHost.Tests.Acp;

/// <summary>The host's commands merged into the agent's list: shapes per version, the agent's own winning where it should.</summary>
public class HostCommandTests
{
    private const int Timeout = 5_000;

    private static JsonArray List(string json) => JsonNode.Parse(json)!.AsArray();

    private static string[] Names(JsonArray commands) => [.. commands.Select(c => c!["name"]!.GetValue<string>())];

    [Fact(Timeout = Timeout)]
    public async Task MergeInto_V1_AppendsEachInV1Shape()
    {
        JsonArray commands = List("""[{"name":"compact","description":"Compact","input":null}]""");

        Assert.True(HostCommand.MergeInto(commands, v2: false));

        Assert.Equal(["compact", "fork", "forks", "compactions"], Names(commands));
        Assert.Equal("""{"name":"fork","description":"Fork this session: a new session holding its history as the model has it now (AcpHost)","input":{"hint":"optional note"}}""", commands[1]!.ToJsonString());
        Assert.Null(commands[2]!["input"]);
        Assert.Null(commands[2]!["type"]);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task MergeInto_V2_TagsEachCommandAndItsInput()
    {
        JsonArray commands = List("""[{"type":"command","name":"compact","description":"Compact"}]""");

        HostCommand.MergeInto(commands, v2: true);

        Assert.All(commands.Skip(1), c => Assert.Equal("command", c!["type"]!.GetValue<string>()));
        Assert.Equal("text", commands[1]!["input"]!["type"]!.GetValue<string>());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task MergeInto_AgentOffersTheSameNames_ItsForksWinsAndTheHostsForkReplacesItsFork()
    {
        JsonArray commands = List("""[{"name":"fork","description":"the agent's fork"},{"name":"forks","description":"the agent's forks"}]""");

        HostCommand.MergeInto(commands, v2: false);

        Assert.Equal(["forks", "fork", "compactions"], Names(commands));
        Assert.Equal("the agent's forks", commands[0]!["description"]!.GetValue<string>());
        Assert.Equal(["forks"], HostCommand.YieldedIn(List("""[{"name":"forks","description":"the agent's forks"},{"name":"fork","description":"x"}]""")));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task MergeInto_ListAlreadyMerged_IsLeftAsItIs()
    {
        JsonArray commands = List("[]");
        HostCommand.MergeInto(commands, v2: false);
        string once = commands.ToJsonString();

        Assert.False(HostCommand.MergeInto(commands, v2: false));
        Assert.Equal(once, commands.ToJsonString());
        Assert.Empty(HostCommand.YieldedIn(commands));
        await Task.CompletedTask;
    }
}
