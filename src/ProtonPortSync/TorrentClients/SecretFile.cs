using System.Security.Cryptography;
using System.Text;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// A secret kept in a file (a systemd credential, a 0600 file). Read again at every use so a rotated secret is
/// picked up; one trailing newline is trimmed (editors and <c>echo</c> add it). Messages never contain the secret.
/// </summary>
internal sealed class SecretFile(string path, string description)
{
    private const UnixFileMode GroupOrOtherAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private bool _permissionsChecked;

    public string Path { get; } = path;

    /// <summary>What the secret is, for messages ("qBittorrent password file").</summary>
    public string Description { get; } = description;

    /// <summary>
    /// Reads the secret. <paramref name="tooOpen"/> is true the first time the file turns out readable by group or
    /// others (so the caller warns once). Throws <see cref="SecretFileException"/> when missing, unreadable or empty.
    /// </summary>
    public string Read(out bool tooOpen)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecretFileException($"The {Description} '{Path}' does not exist; create it with the secret on one line (mode 0600).", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new SecretFileException($"The {Description} '{Path}' cannot be read ({e.GetType().Name}); let the daemon's user read it (mode 0600, owned by that user).", e);
        }

        var secret = TrimOneNewline(text);
        if (secret.Length == 0)
        {
            throw new SecretFileException($"The {Description} '{Path}' is empty; write the secret into it on one line.");
        }

        tooOpen = false;
        if (!_permissionsChecked && !OperatingSystem.IsWindows())
        {
            _permissionsChecked = true;
            tooOpen = (File.GetUnixFileMode(Path) & GroupOrOtherAccess) != 0;
        }

        return secret;
    }

    /// <summary>A fingerprint to recognise a secret again (e.g. "this is the password that was refused") without keeping it.</summary>
    public static string Fingerprint(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static string TrimOneNewline(string text)
    {
        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return text[..^2];
        }

        return text.EndsWith('\n') ? text[..^1] : text;
    }
}

/// <summary>A secret file is missing, unreadable or empty. The message names the file, never its content.</summary>
internal sealed class SecretFileException : Exception
{
    public SecretFileException()
    {
    }

    public SecretFileException(string message)
        : base(message)
    {
    }

    public SecretFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
