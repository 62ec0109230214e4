using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ProtonPortSync.Configuration;

/// <summary>
/// The bounded read behind <see cref="SecretFile"/>, the port file's read-back and doctor's WireGuard configuration. .NET can neither open a file without blocking nor tell a FIFO
/// from a regular file, so this opens with <c>O_NONBLOCK</c> (a FIFO without a writer then opens at once instead of
/// hanging the daemon, even against SIGTERM) and asks <c>statx</c> about the open descriptor (no window between check
/// and use). <c>struct statx</c> has the same layout on every Linux architecture, unlike <c>struct stat</c>.
/// </summary>
internal static class SecretFileReader
{
    public const UnixFileMode GroupOrOtherAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // Linux open(2) flags, the same on x86-64 and arm64 (asm-generic).
    private const int ONonBlock = 0x800;
    private const int ONoCtty = 0x100;
    private const int OCloExec = 0x80000;

    private const int AtEmptyPath = 0x1000;
    private const uint StatxTypeModeSize = 0x1 | 0x2 | 0x200;
    private const int StatxBufferLength = 256;
    private const int StatxModeOffset = 28;
    private const int StatxSizeOffset = 40;

    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    private const int ENoEnt = 2;
    private const int EAcces = 13;
    private const int ENotDir = 20;
    private const int ELoop = 40;

    /// <summary>Reads at most <paramref name="maxLength"/> bytes of a regular file; returns them and the file's permissions.</summary>
    public static (byte[] Bytes, UnixFileMode Mode) Read(string path, string description, int maxLength)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Secret files are read with Linux system calls.");
        }

        var fd = Open(NullTerminated(path), ONonBlock | ONoCtty | OCloExec);
        if (fd < 0)
        {
            throw OpenFailure(path, description, Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var stat = new byte[StatxBufferLength];
        if (Statx(fd, [0], AtEmptyPath, StatxTypeModeSize, stat) != 0)
        {
            throw new SecretFileException($"The {description} '{path}' cannot be examined (errno {Marshal.GetLastPInvokeError()}); check the path.");
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(stat.AsSpan(StatxModeOffset));
        if ((mode & FileTypeMask) != RegularFile)
        {
            throw new SecretFileException($"The {description} '{path}' is {Kind(mode)}, not a regular file; point the option at a file that holds the secret on one line (a symlink to one is fine).");
        }

        var size = BinaryPrimitives.ReadInt64LittleEndian(stat.AsSpan(StatxSizeOffset));
        if (size > maxLength)
        {
            throw TooLarge(path, description, maxLength);
        }

        // One byte more than allowed tells a file that grew since statx from one that fits.
        var buffer = new byte[maxLength + 1];
        int read;
        try
        {
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (IOException e)
        {
            throw new SecretFileException($"The {description} '{path}' cannot be read ({e.Message}); let the daemon's user read it (mode 0600, owned by that user).", e);
        }

        if (read > maxLength)
        {
            throw TooLarge(path, description, maxLength);
        }

        return (buffer[..read], (UnixFileMode)(mode & 0xFFF));
    }

    private static SecretFileException OpenFailure(string path, string description, int errno) => errno switch
    {
        ENoEnt or ENotDir => new SecretFileException($"The {description} '{path}' does not exist; create it with the secret on one line (mode 0600), or under systemd use LoadCredential= and $CREDENTIALS_DIRECTORY."),
        EAcces => new SecretFileException($"The {description} '{path}' cannot be read (permission denied); let the daemon's user read it (mode 0600, owned by that user)."),
        ELoop => new SecretFileException($"The {description} '{path}' is a loop of symbolic links; point the option at the file itself."),
        _ => new SecretFileException($"The {description} '{path}' cannot be opened (errno {errno}); check the path and its permissions."),
    };

    private static SecretFileException TooLarge(string path, string description, int maxLength)
        => new($"The {description} '{path}' is larger than {maxLength} bytes, more than such a file ever holds; check that the option names the right file.");

    private static string Kind(int mode) => (mode & FileTypeMask) switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    private static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);
}
