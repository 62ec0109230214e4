using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProtonPortSync.Tests.TorrentClients.Tls;

/// <summary>Certificates made in-process for the TLS tests: a CA, a server certificate it signs, a self-signed one.</summary>
internal static class TestCertificates
{
    /// <summary>A CA certificate with its key (ECDSA P-256), valid from 60 days ago (so it can sign an expired certificate) for a year.</summary>
    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>
    /// A server certificate with its key for <paramref name="dnsName"/> and <paramref name="ip"/>, signed by
    /// <paramref name="issuer"/> or self-signed when null; valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>
    /// (default: yesterday to a day before the issuer's end, or a year from now when self-signed; a signed
    /// certificate may not outlive its issuer, and "a year from now" computed a second after the CA's was refused).
    /// </summary>
    public static X509Certificate2 CreateServer(X509Certificate2? issuer, string dnsName = "localhost", IPAddress? ip = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (ip is not null)
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? (issuer is null ? DateTimeOffset.UtcNow.AddYears(1) : new DateTimeOffset(issuer.NotAfter.ToUniversalTime()).AddDays(-1));
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, to);
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(issuer, from, to, serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the certificates (public parts only) as PEM into <paramref name="path"/>.</summary>
    public static string WritePem(string path, params X509Certificate2[] certificates)
    {
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }
}
