using System.Text;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol;

/// <summary><see cref="JavaScriptTrim"/> against the ECMAScript definition of what <c>String.prototype.trim</c> removes.</summary>
public class JavaScriptTrimTests
{
    private const int Timeout = 30_000;

    // ECMAScript's WhiteSpace and LineTerminator: TAB, VT, FF, ZWNBSP (U+FEFF), every Space_Separator (Zs), LF, CR,
    // LS, PS. That is .NET's char.IsWhiteSpace without U+0085 (NEL), which ECMAScript does not count, plus U+FEFF.
    private static bool IsJavaScriptWhitespace(char c) => (char.IsWhiteSpace(c) && c != '\u0085') || c == '\uFEFF';

    [Fact(Timeout = Timeout)]
    public async Task Cut_EveryCharacterOfTheBasicPlane_IsTrimmedExactlyWhenJavaScriptTrimsIt()
    {
        for (int code = 0; code <= 0xFFFF; code++)
        {
            char c = (char)code;
            if (char.IsSurrogate(c))
            {
                continue;
            }

            string core = "{\"a\":1}";
            byte[] line = Encoding.UTF8.GetBytes(c + core + c);
            string cut = Encoding.UTF8.GetString(JavaScriptTrim.Cut(line).Span);
            bool jsonWhitespace = c is ' ' or '\t' or '\r' or '\n';
            string expected = IsJavaScriptWhitespace(c) && !jsonWhitespace ? core : c + core + c;
            Assert.True(expected == cut, $"U+{code:X4}: expected '{expected}', cut '{cut}'");
        }

        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("{}", "{}")]
    [InlineData(" {} ", " {} ")]
    [InlineData("\u00A0 {} \u00A0", "{}")]
    [InlineData(" \uFEFF{}", "{}")]
    [InlineData("\u00A0\u00A0", "")]
    [InlineData("{\"a\":\"\u00A0\"}\u2028", "{\"a\":\"\u00A0\"}")]
    public async Task Cut_Lines_AsTheAgentsTrimLeavesThem(string line, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(JavaScriptTrim.Cut(Encoding.UTF8.GetBytes(line)).Span));
        await Task.CompletedTask;
    }
}
