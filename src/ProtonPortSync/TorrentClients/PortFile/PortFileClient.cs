using System.Globalization;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients.PortFile;

/// <summary>
/// A "client" that is a file holding the port as decimal text and a newline, for scripts, containers (gluetun-style
/// forwarded_port files) and the demo. Written atomically (a new temporary file, then rename) so a reader never sees half a
/// number.
/// </summary>
internal sealed class PortFileClient(string path) : ITorrentClient
{
    public const string ClientName = "file";

    public string Name => ClientName;

    public string Path { get; } = path;

    /// <summary>The most a port file's read-back takes: "65535\n" with room for a hand edit.</summary>
    public const int MaxLength = 64;

    public Task<int> GetListenPortAsync(CancellationToken cancellationToken) => Task.FromResult(ReadPort(cancellationToken));

    private int ReadPort(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(Path))
        {
            return 0;
        }

        // Bounded, and never blocking on a FIFO planted at the path: a port is a few bytes.
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(SecretFileReader.Read(Path, "port file", MaxLength).Bytes);
        }
        catch (SecretFileException)
        {
            // Not a small regular file (a FIFO or a huge file planted or left there): drift. The write replaces the
            // entry by rename, never writing through it; if that fails too, the write says why.
            return 0;
        }

        // Anything that is not a port (empty, edited by hand into garbage) counts as drift and is rewritten.
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : 0;
    }

    public async Task SetListenPortAsync(int port, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        try
        {
            await WriteAtomicallyAsync(port.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, $"cannot write port file {Path}: {ex.Message}", innerException: ex);
        }

        var readBack = ReadPort(cancellationToken);
        if (readBack != port)
        {
            throw new TorrentClientException(Name, TorrentClientFailure.ReadBackMismatch, $"port file {Path} says {readBack} after writing {port}");
        }
    }

    /// <summary>
    /// Writes a temporary file in the same directory and renames it over the port file. The temporary name is random
    /// (Path.GetRandomFileName, from the OS's random source, without loading OpenSSL) and created exclusively
    /// (O_CREAT|O_EXCL, which never follows a symlink), so nobody can plant a symlink at a predictable name and
    /// make the daemon write through it; rename replaces a link at the target itself instead of following it.
    /// </summary>
    private async Task WriteAtomicallyAsync(string text, CancellationToken cancellationToken)
    {
        var full = System.IO.Path.GetFullPath(Path);
        var directory = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{System.IO.Path.GetRandomFileName()}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None }))
            {
                // Readable by everyone whatever the umask (the units set 0077): a port file exists for other programs,
                // and a port number is no secret.
                TryMakePublic(stream);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            // Gone after the rename; left behind only when the write failed.
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// 0644 on the new file; a file system without Unix modes (vfat, some FUSE mounts) refuses fchmod, and then the
    /// file keeps what that file system gives it rather than failing the write.
    /// </summary>
    private static void TryMakePublic(FileStream stream)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(stream.SafeFileHandle, PublicFileMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }

    internal const UnixFileMode PublicFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A file has no socket to rebind; rewriting it tells watchers (inotify) the tunnel came back.</summary>
    public Task RebindAsync(int port, CancellationToken cancellationToken) => SetListenPortAsync(port, cancellationToken);
}
