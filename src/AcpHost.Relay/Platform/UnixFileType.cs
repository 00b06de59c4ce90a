namespace AcpHost.Relay.Platform;

/// <summary>The file types of <c>st_mode</c> (<c>S_IFMT</c>).</summary>
public enum UnixFileType
{
    /// <summary>Not known.</summary>
    Unknown = 0,

    /// <summary>A FIFO (named pipe).</summary>
    Fifo = 0x1000,

    /// <summary>A character device.</summary>
    CharacterDevice = 0x2000,

    /// <summary>A directory.</summary>
    Directory = 0x4000,

    /// <summary>A block device.</summary>
    BlockDevice = 0x6000,

    /// <summary>A regular file.</summary>
    Regular = 0x8000,

    /// <summary>A symbolic link.</summary>
    SymbolicLink = 0xA000,

    /// <summary>A socket.</summary>
    Socket = 0xC000,
}
