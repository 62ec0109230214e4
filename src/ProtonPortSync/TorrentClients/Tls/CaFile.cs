using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients.Tls;

/// <summary>
/// A PEM file of certificates trusted for one client's https:// URL instead of the system's store: the CA that signed
/// the WebUI's certificate, or that self-signed certificate itself. Read with the same bounded, non-blocking read as
/// secret files (a FIFO or a device is refused, never waited on). Only touched when a CA file is configured: loading a
/// certificate loads OpenSSL's libcrypto (+3 MB resident), which an http:// set-up never needs.
/// </summary>
internal static class CaFile
{
    /// <summary>A bundle of every public CA is ~220 KB; anything past 1 MiB is the wrong file.</summary>
    public const int MaxLength = 1024 * 1024;

    private const string PemCertificateHeader = "-----BEGIN CERTIFICATE-----";

    /// <summary>
    /// The certificates in the file at <paramref name="path"/>. Throws <see cref="CaFileException"/> saying what is
    /// wrong and what to do when it is missing, unreadable, not a regular file, too large, or holds no readable
    /// PEM certificate. <paramref name="flag"/> names the option in messages ("--qbt-ca-file").
    /// </summary>
    public static X509Certificate2Collection Load(string path, string flag) => Parse(Read(path, flag), path, flag);

    /// <summary>The file's bytes, at most <see cref="MaxLength"/>; no certificate is parsed (and no libcrypto loaded).</summary>
    public static byte[] Read(string path, string flag)
    {
        try
        {
            return SecretFileReader.Read(path, $"CA file ({flag})", MaxLength).Bytes;
        }
        catch (SecretFileException e)
        {
            // The shared reader's advice is about secrets; a CA file holds public certificates.
            throw new CaFileException(e.Message.Replace("the secret on one line", "the certificates in PEM", StringComparison.Ordinal), e);
        }
    }

    /// <summary>The certificates in <paramref name="bytes"/> (the content of <paramref name="path"/>), PEM only.</summary>
    public static X509Certificate2Collection Parse(ReadOnlySpan<byte> bytes, string path, string flag)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (!text.Contains(PemCertificateHeader, StringComparison.Ordinal))
        {
            throw new CaFileException($"The CA file '{path}' ({flag}) holds no PEM certificate ('{PemCertificateHeader}'); give the server's certificate or the CA that signed it in PEM (DER converts with: openssl x509 -inform der -in FILE -out FILE.pem).");
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw new CaFileException($"The CA file '{path}' ({flag}) holds a certificate that cannot be read ({PeerText.Clean(e.Message)}); check it with: openssl x509 -in '{path}' -noout -subject.", e);
        }

        return certificates;
    }

    /// <summary>The problem with the CA file, or null when it can be used: the check both <c>run</c> (exit 2) and <c>doctor</c> apply.</summary>
    public static string? Problem(string path, string flag)
    {
        try
        {
            Dispose(Load(path, flag));
            return null;
        }
        catch (CaFileException e)
        {
            return e.Message;
        }
    }

    /// <summary>One line per certificate, for doctor: subject and validity.</summary>
    public static string Describe(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return string.Create(CultureInfo.InvariantCulture, $"'{certificate.Subject}' valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
    }

    /// <summary>Disposes every certificate of a collection (the collection itself holds no native resource).</summary>
    public static void Dispose(X509Certificate2Collection? certificates)
    {
        foreach (var certificate in certificates ?? [])
        {
            certificate.Dispose();
        }
    }
}

/// <summary>A CA file is missing, unreadable, not a regular file, too large or holds no certificate. The message names the file and what to do.</summary>
internal sealed class CaFileException : Exception
{
    public CaFileException()
    {
    }

    public CaFileException(string message)
        : base(message)
    {
    }

    public CaFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
