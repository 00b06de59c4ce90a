using AcpHost.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AcpHost.Agent;

/// <summary>Which agent to run and how. Bound from the <c>Agent</c> configuration section.</summary>
internal sealed class AgentOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agent";

    /// <summary>The <see cref="Section"/> of <paramref name="configuration"/>, bound (defaults where it says nothing).</summary>
    public static AgentOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new AgentOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>An explicit agent executable. When empty, the pinned npm package is installed and run with node.</summary>
    public string? Command { get; set; }

    /// <summary>Arguments for <see cref="Command"/>.</summary>
    public IList<string> Args { get; } = [];

    /// <summary>The npm package of the agent.</summary>
    public string Package { get; set; } = "@agentclientprotocol/claude-agent-acp";

    /// <summary>The pinned version: the one the host is tested with.</summary>
    public string Version { get; set; } = "0.101.0";

    /// <summary>Where packages are installed; default <c>&lt;data-dir&gt;/agent</c>.</summary>
    public string? InstallDir { get; set; }

    /// <summary>The Node.js executable.</summary>
    public string Node { get; set; } = "node";

    /// <summary>The npm executable.</summary>
    public string Npm { get; set; } = "npm";

    /// <summary>
    /// The oldest Node.js major version accepted. The agent declares 22, but runs on 20, which is what
    /// current LTS distributions ship; older ones fail in the agent's own code.
    /// </summary>
    public int MinimumNodeMajor { get; set; } = 20;

    /// <summary>How long a first-use npm install may take. Default 15 minutes.</summary>
    public TimeSpan InstallTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every setting the host cannot use.</summary>
    public AgentOptions Checked()
    {
        var failures = new List<string>();
        if (!SettingBounds.IsTiming(InstallTimeout, zeroAllowed: false))
        {
            failures.Add("Agent:InstallTimeout must be above 0 and at most a day");
        }

        return failures.Count == 0 ? this : throw new OptionsValidationException(Section, typeof(AgentOptions), failures);
    }
}
