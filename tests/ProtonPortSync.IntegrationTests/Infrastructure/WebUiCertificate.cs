namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A test CA and a WebUI certificate it signed for 127.0.0.1 (subjectAltName IP and DNS localhost), made with the
/// openssl command (the tool a user would use) in <paramref name="Directory"/>; valid two days.
/// </summary>
/// <param name="CaPath">The CA's certificate (PEM): what --qbt-ca-file takes.</param>
/// <param name="CertificatePath">The WebUI's certificate (PEM).</param>
/// <param name="KeyPath">The WebUI's private key (PEM).</param>
internal sealed record WebUiCertificate(string Directory, string CaPath, string CertificatePath, string KeyPath)
{
    public static WebUiCertificate Create(string directory)
    {
        var ca = Path.Combine(directory, "ca.pem");
        var caKey = Path.Combine(directory, "ca.key");
        var certificate = Path.Combine(directory, "webui.pem");
        var key = Path.Combine(directory, "webui.key");
        var request = Path.Combine(directory, "webui.csr");
        var extensions = Path.Combine(directory, "webui.ext");
        File.WriteAllText(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=proton-port-sync test CA");
        Run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1");
        Run("x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", certificate, "-days", "2", "-extfile", extensions);
        return new WebUiCertificate(directory, ca, certificate, key);
    }

    private static void Run(params string[] args)
    {
        var result = Shell.Run("openssl", args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {result.StdErr}");
        }
    }
}
