namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>A theory about agent behaviour that only versions from a minimum on have (see <see cref="AgentVersionFactAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AgentVersionTheoryAttribute : TheoryAttribute
{
    public AgentVersionTheoryAttribute(string minimumVersion) => Skip = AgentVersionFactAttribute.SkipReason(minimumVersion);
}
