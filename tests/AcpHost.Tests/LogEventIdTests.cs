using System.Reflection;
using AcpHost.Hosting;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests;

/// <summary>
/// Every <c>[LoggerMessage]</c> of the host and the relay declares its own EventId, so that a log line can be found,
/// filtered and counted by its id alone: in the file log, in a collector, across versions.
/// </summary>
public class LogEventIdTests
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task LoggerMessages_EachDeclareAnEventIdNoOtherHas()
    {
        List<(string Method, int EventId)> messages = [.. LoggerMessages(typeof(RelayHost).Assembly, typeof(JsonRpcRelay).Assembly)];

        Assert.True(messages.Count > 90, $"only {messages.Count} [LoggerMessage] methods found: the reading is broken");
        List<string> problems = Problems(messages);
        Assert.True(problems.Count == 0, $"{problems.Count} EventId problems:\n{string.Join('\n', problems)}");
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Problems_NameEachHolderOfAClash_AndAMessageWithoutId()
    {
        List<string> problems = Problems([("A.One", 5), ("B.Two", 6), ("C.Three", 5), ("D.Four", -1)]);

        Assert.Equal(["EventId 5: A.One, C.Three", "D.Four declares no EventId"], problems);
        await Task.CompletedTask;
    }

    private static IEnumerable<(string Method, int EventId)> LoggerMessages(params Assembly[] assemblies) =>
        from assembly in assemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select ($"{type.FullName}.{method.Name}", attribute.EventId);

    // An attribute without EventId reads -1, and the generator makes one from a hash of the method's name: a number
    // nobody chose, that a rename changes.
    private static List<string> Problems(IEnumerable<(string Method, int EventId)> messages)
    {
        List<(string Method, int EventId)> all = [.. messages];
        IEnumerable<string> clashes = all.Where(m => m.EventId >= 0).GroupBy(m => m.EventId).Where(g => g.Count() > 1).OrderBy(g => g.Key)
            .Select(g => $"EventId {g.Key}: {string.Join(", ", g.Select(m => m.Method).Order(StringComparer.Ordinal))}");
        IEnumerable<string> missing = all.Where(m => m.EventId < 0).Select(m => $"{m.Method} declares no EventId").Order(StringComparer.Ordinal);
        return [.. clashes.Concat(missing)];
    }
}
