using System.Text;

namespace ProtonPortSync.Configuration;

/// <summary>
/// A secret kept in a file (a systemd credential, a 0600 file). Read again at every use so a rotated secret is
/// picked up; one trailing newline is trimmed (editors and <c>echo</c> add it). Messages never contain the secret.
/// Only a regular file (or a symlink to one: sops-nix links into /run/secrets.d) of at most
/// <see cref="MaxLength"/> bytes is accepted, read with one bounded read that cannot hang: the file is opened
/// non-blocking and its type checked on the open descriptor, so a FIFO, a device or a huge file is refused, never
/// waited on or read whole. <c>run</c> (at start) and <c>doctor</c> both go through <see cref="Read"/>.
/// </summary>
internal sealed class SecretFile(string path, string description)
{
    /// <summary>A password or API key is a line; anything bigger is a mistake (a wrong path), not a secret.</summary>
    public const int MaxLength = 4096;

    private bool _permissionsChecked;

    public string Path { get; } = path;

    /// <summary>What the secret is, for messages ("qBittorrent password file").</summary>
    public string Description { get; } = description;

    /// <summary>
    /// Reads the secret. <paramref name="tooOpen"/> is true the first time the file turns out readable by group or
    /// others (so the caller warns once). Throws <see cref="SecretFileException"/> when the file is missing,
    /// unreadable, not a regular file, empty or larger than <see cref="MaxLength"/> bytes.
    /// </summary>
    public string Read(out bool tooOpen)
    {
        var (bytes, mode) = SecretFileReader.Read(Path, Description, MaxLength);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SecretFileException($"The {Description} '{Path}' is not UTF-8 text; write the secret into it on one line.", e);
        }

        var secret = TrimOneNewline(text);
        if (secret.Length == 0)
        {
            throw new SecretFileException($"The {Description} '{Path}' is empty; write the secret into it on one line.");
        }

        tooOpen = false;
        if (!_permissionsChecked)
        {
            _permissionsChecked = true;
            tooOpen = (mode & SecretFileReader.GroupOrOtherAccess) != 0;
        }

        return secret;
    }

    /// <summary>
    /// The problem with the secret file at <paramref name="path"/>, or null when it can be used: the one check that
    /// both <c>run</c> (refusing to start, exit 2) and <c>doctor</c> apply.
    /// </summary>
    public static string? Problem(string path, string description)
    {
        try
        {
            new SecretFile(path, description).Read(out _);
            return null;
        }
        catch (SecretFileException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// A fingerprint to recognise a secret again ("this is the password that was refused") without keeping it. A
    /// keyed 64-bit FNV-1a, not SHA-256: any use of System.Security.Cryptography loads OpenSSL's libcrypto (+3 MB
    /// resident), and the fingerprint never leaves the process (the key is random per process).
    /// </summary>
    public static string Fingerprint(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = 14695981039346656037UL ^ FingerprintKey;
        foreach (var b in Encoding.UTF8.GetBytes(secret))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static string TrimOneNewline(string text)
    {
        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return text[..^2];
        }

        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private static readonly ulong FingerprintKey = (ulong)Random.Shared.NextInt64();
}

/// <summary>A secret file is missing, unreadable, not a regular file, empty or too large. The message names the file, never its content.</summary>
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
