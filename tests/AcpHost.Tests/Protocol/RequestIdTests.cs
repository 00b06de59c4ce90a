using System.Text;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol;

public class RequestIdTests
{
    private const int Timeout = 5_000;

    public static TheoryData<string> StringIds => new()
    {
        "", "1", "b17", "abcdefg", "abcdefgh", "acphost:1", "with space", "é", "a\"b", "tab\there", new string('x', 200),
    };

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(StringIds))]
    public async Task FromUtf8_AndTheStringConstructor_MakeTheSameId(string value)
    {
        var fromString = new RequestId(value);
        RequestId fromBytes = RequestId.FromUtf8(Encoding.UTF8.GetBytes(value));

        Assert.Equal(fromString, fromBytes);
        Assert.Equal(fromString.GetHashCode(), fromBytes.GetHashCode());
        Assert.True(fromBytes.IsString);
        Assert.Equal(value, fromBytes.AsString);
        Assert.Equal(fromString.ToJsonBytes(), fromBytes.ToJsonBytes());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ShortAndLongStringIds_NeverEqualIntegersOrEachOther()
    {
        Assert.NotEqual(new RequestId("1"), new RequestId(1));
        Assert.NotEqual(new RequestId("b1"), new RequestId("b2"));
        Assert.NotEqual(new RequestId("abcdefg"), new RequestId("abcdefgh"));
        Assert.NotEqual(new RequestId(""), default);
        Assert.Equal(0, new RequestId("7").AsNumber);
        Assert.Equal(7, new RequestId(7).AsNumber);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ToJsonBytes_WritesAShortIdAsAQuotedString()
    {
        Assert.Equal("\"b17\"", Encoding.UTF8.GetString(RequestId.FromUtf8("b17"u8).ToJsonBytes()));
        Assert.Equal("\"b17\"", new RequestId("b17").ToString());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task StartsWith_WorksForBothForms()
    {
        Assert.True(RequestId.FromUtf8("acphost:12"u8).StartsWith(HostIdSpace.Prefix));
        Assert.True(HostIdSpace.Contains(new HostIdSpace().Next()));
        Assert.False(HostIdSpace.Contains(RequestId.FromUtf8("acphost"u8)));
        Assert.True(RequestId.FromUtf8("ab1"u8).StartsWith("ab"));
        Assert.False(RequestId.FromUtf8("ab1"u8).StartsWith("abcd"));
        Assert.False(new RequestId(5).StartsWith(""));
        await Task.CompletedTask;
    }
}
