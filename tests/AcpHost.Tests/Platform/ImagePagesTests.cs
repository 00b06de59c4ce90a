using System.Runtime.InteropServices;
using AcpHost.Relay.Platform;

namespace AcpHost.Tests.Platform;

/// <summary>
/// <see cref="ImagePages"/> on mappings the test makes itself with <c>mmap</c>, so that what is released, and what
/// must never be, is known: a clean read-only private file mapping gives its pages back and reads the same after; a
/// mapping whose pages the process changed keeps them and its changes; a file outside the folder is left alone.
/// </summary>
public sealed class ImagePagesTests : IDisposable
{
    private const int Timeout = 10_000;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int Size = 16 * 4096;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-pages-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("acphost-pages-other-").FullName;
    private readonly List<(nint Address, nuint Length)> _mapped = [];

    public void Dispose()
    {
        foreach ((nint address, nuint length) in _mapped)
        {
            _ = Unmap(address, length);
        }

        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }

    [Fact(Timeout = Timeout)]
    public async Task Release_CleanReadOnlyMappingOfAFileInTheFolder_GivesItsPagesBackAndReadsTheSame()
    {
        byte[] content = Content(1);
        nint address = Map(Write(_folder, "image.bin", content), ProtRead);
        Assert.Equal(content, Touch(address));
        Assert.Equal(Size, Resident(address));

        ImagePagesReleased released = ImagePages.Release(_folder);

        Assert.True(released.Mappings >= 1, $"released {released.Mappings} mappings");
        Assert.True(released.Bytes >= Size, $"released {released.Bytes} bytes");
        Assert.Equal(0, Resident(address));
        Assert.Equal(content, Touch(address));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Release_MappingWhosePagesTheProcessChanged_KeepsThemAndTheChanges()
    {
        byte[] content = Content(2);
        nint address = Map(Write(_folder, "patched.bin", content), ProtRead | ProtWrite);
        // Changed, then made read-only: as the loader leaves relocated data. Released, the change would be lost.
        Marshal.WriteByte(address, 0x5A);
        Assert.Equal(0, Protect(address, Size, ProtRead));
        byte[] changed = Touch(address);
        Assert.Equal(0x5A, changed[0]);

        ImagePages.Release(_folder);

        Assert.Equal(Size, Resident(address));
        Assert.Equal(changed, Touch(address));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Release_FileOutsideTheFolder_IsLeftAlone()
    {
        nint address = Map(Write(_elsewhere, "data.bin", Content(3)), ProtRead);
        Touch(address);

        ImagePages.Release(_folder);

        Assert.Equal(Size, Resident(address));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_SmapsListing_OnlyPrivateReadOnlyUnchangedFilePagesOfTheFolderAreClean()
    {
        string[] listing =
        [
            "55d0a0000000-55d0a0100000 r--p 00000000 08:01 1234 /opt/acphost/acphost",
            "Rss:                 512 kB",
            "Anonymous:             0 kB",
            "55d0a0100000-55d0a0200000 r-xp 00100000 08:01 1234 /opt/acphost/acphost",
            "Rss:                 900 kB",
            "Anonymous:             0 kB",
            "55d0a0200000-55d0a0210000 r--p 00200000 08:01 1234 /opt/acphost/acphost",
            "Rss:                  64 kB",
            "Anonymous:            12 kB",
            "55d0a0210000-55d0a0220000 rw-p 00210000 08:01 1234 /opt/acphost/acphost",
            "Rss:                  64 kB",
            "Anonymous:             0 kB",
            "7f0000000000-7f0000100000 r--s 00000000 08:01 99 /opt/acphost/shared.bin",
            "Rss:                  64 kB",
            "Anonymous:             0 kB",
            "7f0000100000-7f0000200000 r-xp 00000000 08:01 77 /usr/lib/libc.so.6",
            "Rss:                 900 kB",
            "Anonymous:             0 kB",
            "7f0000200000-7f0000300000 r--p 00000000 08:01 55 /opt/acphost/gone.bin (deleted)",
            "Rss:                  64 kB",
            "Anonymous:             0 kB",
            "7f0000300000-7f0000400000 r--p 00000000 08:01 56 /opt/acphost/unknown.bin",
            "Rss:                  64 kB",
            "7f0000400000-7f0000500000 rw-p 00000000 00:00 0",
            "Rss:                 100 kB",
            "Anonymous:           100 kB",
            "7f0000500000-7f0000600000 r--p 00000000 08:01 57 /opt/acphost/untouched.bin",
            "Rss:                   0 kB",
            "Anonymous:             0 kB",
            "7f0000600000-7f0000700000 r--p 00000000 08:01 58 /opt/acphost-other/lookalike.bin",
            "Rss:                  64 kB",
            "Anonymous:             0 kB",
        ];

        List<ImagePages.Mapping> mappings = [.. ImagePages.Read(listing)];

        Assert.Equal(11, mappings.Count);
        Assert.Equal(
            [0x55d0a0000000UL, 0x55d0a0100000UL],
            mappings.Where(m => m.IsCleanFileOf("/opt/acphost/")).Select(m => m.Start));
        Assert.Equal(512 * 1024, mappings[0].ResidentBytes);
        Assert.Equal(0x55d0a0100000UL, mappings[0].End);
        await Task.CompletedTask;
    }

    private static byte[] Content(int seed)
    {
        byte[] content = new byte[Size];
        new Random(seed).NextBytes(content);
        return content;
    }

    private static string Write(string folder, string name, byte[] content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private nint Map(string path, int protection)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(path);
        nint address = Mmap(0, Size, protection, MapPrivate, (int)file.DangerousGetHandle(), 0);
        Assert.NotEqual(-1, address);
        _mapped.Add((address, Size));
        return address;
    }

    private static byte[] Touch(nint address)
    {
        byte[] read = new byte[Size];
        Marshal.Copy(address, read, 0, Size);
        return read;
    }

    private static long Resident(nint address) =>
        ImagePages.Read(File.ReadAllLines("/proc/self/smaps")).Single(m => m.Start == (ulong)address).ResidentBytes;

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Unmap(nint address, nuint length);

    [DllImport("libc", EntryPoint = "mprotect")]
    private static extern int Protect(nint address, nuint length, int protection);
}
