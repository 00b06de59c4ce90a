namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// A fact about agent behaviour that only versions from a minimum on have: skipped, saying why,
/// when <c>ACPHOST_TEST_AGENT_VERSION</c> names an older agent. Against the pinned agent it always runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AgentVersionFactAttribute : FactAttribute
{
    public AgentVersionFactAttribute(string minimumVersion) => Skip = SkipReason(minimumVersion);

    /// <summary>Why a test of behaviour from <paramref name="minimumVersion"/> on is skipped, or null when it runs.</summary>
    internal static string? SkipReason(string minimumVersion) =>
        AgentInstall.Version is { } tested && Older(tested, minimumVersion)
            ? $"needs agent {minimumVersion} or later; {AgentInstall.VersionVariable} is {tested}"
            : null;

    // Release versions compare by their numbers; anything that does not parse (a tag, a prerelease) runs the test.
    private static bool Older(string tested, string minimum) =>
        System.Version.TryParse(tested, out Version? a) && System.Version.TryParse(minimum, out Version? b) && a < b;
}
