using AcpHost.Settings;

namespace AcpHost.Tests.Settings;

public class DataDirectoryTests
{
    private const int Timeout = 5_000;

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact(Timeout = Timeout)]
    public async Task Resolve_ExplicitValue_WinsOverEverything()
    {
        Assert.Equal("/tmp/x", DataDirectory.Resolve("/tmp/x", Env(("ACPHOST_DATA_DIR", "/a"), ("XDG_DATA_HOME", "/b"), ("HOME", "/h"))));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_EnvironmentVariable_WinsOverXdg()
    {
        Assert.Equal("/a", DataDirectory.Resolve(null, Env(("ACPHOST_DATA_DIR", "/a"), ("XDG_DATA_HOME", "/b"), ("HOME", "/h"))));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_XdgDataHome_GetsAnAcphostFolder()
    {
        Assert.Equal("/b/acphost", DataDirectory.Resolve("  ", Env(("XDG_DATA_HOME", "/b"), ("HOME", "/h"))));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_NothingSet_FallsBackToLocalShare()
    {
        Assert.Equal("/h/.local/share/acphost", DataDirectory.Resolve(null, Env(("HOME", "/h"))));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_TildePath_IsExpanded()
    {
        Assert.Equal("/h/data", DataDirectory.Resolve("~/data", Env(("HOME", "/h"))));
        await Task.CompletedTask;
    }
}
