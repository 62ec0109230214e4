using ProtonPortSync.TorrentClients.Tls;

namespace ProtonPortSync.Tests.TorrentClients.Tls;

public sealed class CaFileTests : IDisposable
{
    private const string Flag = "--qbt-ca-file";
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-cafile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_TwoPemCertificates_BothRead()
    {
        using var ca = TestCertificates.CreateCa("Test CA");
        using var server = TestCertificates.CreateServer(ca);
        var path = TestCertificates.WritePem(Path.Combine(_directory, "ca.pem"), ca, server);

        var certificates = CaFile.Load(path, Flag);

        Assert.Equal(["CN=Test CA", "CN=localhost"], certificates.Select(c => c.Subject));
        Assert.Null(CaFile.Problem(path, Flag));
        CaFile.Dispose(certificates);
    }

    [Fact]
    public void Load_Missing_SaysItDoesNotExistNamingTheFlag()
    {
        var path = Path.Combine(_directory, "absent.pem");

        var e = Assert.Throws<CaFileException>(() => CaFile.Load(path, Flag));

        Assert.Contains($"CA file ({Flag}) '{path}' does not exist", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Directory_RefusedAsNotARegularFile()
    {
        var e = Assert.Throws<CaFileException>(() => CaFile.Load(_directory, Flag));

        Assert.Contains("a directory, not a regular file", e.Message, StringComparison.Ordinal);
        Assert.Contains("certificates in PEM", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OverOneMebibyte_RefusedAsTooLarge()
    {
        var path = Path.Combine(_directory, "huge.pem");
        File.WriteAllText(path, new string('x', CaFile.MaxLength + 1));

        var e = Assert.Throws<CaFileException>(() => CaFile.Load(path, Flag));

        Assert.Contains($"larger than {CaFile.MaxLength} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OnlyAPrivateKey_RefusedAsHoldingNoCertificate()
    {
        var path = Path.Combine(_directory, "key.pem");
        using var key = System.Security.Cryptography.ECDsa.Create();
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());

        var e = Assert.Throws<CaFileException>(() => CaFile.Load(path, Flag));

        Assert.Contains("holds no PEM certificate", e.Message, StringComparison.Ordinal);
        Assert.Contains(Flag, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateBlockOfGarbage_RefusedAsUnreadable()
    {
        var path = Path.Combine(_directory, "bad.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n");

        var e = Assert.Throws<CaFileException>(() => CaFile.Load(path, Flag));

        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
        Assert.Contains("openssl x509", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_Fifo_RefusedAtOnceWithoutBlocking()
    {
        var path = Path.Combine(_directory, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            Assert.True(mkfifo.WaitForExit(10_000));
        }

        Assert.Contains("FIFO", CaFile.Problem(path, Flag), StringComparison.Ordinal);
    }
}
