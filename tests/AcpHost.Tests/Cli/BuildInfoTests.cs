using System.Runtime.Intrinsics;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Cli;

public class BuildInfoTests
{
    private const int Timeout = 10_000;

    [Fact(Timeout = Timeout)]
    public async Task Version_PlainBuild_NamesTheBuildAndTheVectorsItsCodeUses()
    {
        var (exitCode, stdout, stderr) = await InProcessCli.RunAsync(["--version"]);

        // The tests run the plain build; the published ones say native or ReadyToRun (scripts/check-fallback.sh and
        // scripts/test.sh read it from those).
        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        string vectors = Vector256.IsHardwareAccelerated ? "256-bit vectors" : Vector128.IsHardwareAccelerated ? "128-bit vectors" : "no vectors";
        Assert.Matches(@"^1\.0\.0(\+[0-9a-f]+)? \(JIT, " + vectors + @"\)\r?\n$", stdout);
    }
}
