namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>A folder under the temp directory, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still writing a log there; the temp folder is cleaned up by the system eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
