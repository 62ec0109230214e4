using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.TorrentClients.Tls;

/// <summary>
/// The trust decision through the real HTTP stack (the adapter's own SocketsHttpHandler) against a loopback TLS server
/// with certificates made in the test.
/// </summary>
public sealed class ServerCertificateTrustTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-tls-").FullName;
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("Test WebUI CA");

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task GetListenPortAsync_ServerSignedByTheCaInTheCaFile_Trusted()
    {
        using var certificate = TestCertificates.CreateServer(_ca, ip: IPAddress.Loopback);
        await using var server = new LoopbackTlsServer(certificate);
        using var client = Client(server, "127.0.0.1", TestCertificates.WritePem(Path.Combine(_directory, "ca.pem"), _ca));

        Assert.Equal(LoopbackTlsServer.ListenPort, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_SelfSignedServerCertificateAsCaFile_Trusted()
    {
        using var certificate = TestCertificates.CreateServer(issuer: null);
        await using var server = new LoopbackTlsServer(certificate);
        using var client = Client(server, "localhost", TestCertificates.WritePem(Path.Combine(_directory, "self.pem"), certificate));

        Assert.Equal(LoopbackTlsServer.ListenPort, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_NoCaFile_RefusedSayingUntrustedChainAndWhatToDo()
    {
        using var certificate = TestCertificates.CreateServer(_ca, ip: IPAddress.Loopback);
        await using var server = new LoopbackTlsServer(certificate);
        using var client = Client(server, "127.0.0.1", caFile: null);

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(TorrentClientFailure.CertificateRefused, e.Failure);
        Assert.Contains($"qBittorrent at https://127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/", e.Message, StringComparison.Ordinal);
        Assert.Contains("untrusted chain", e.Message, StringComparison.Ordinal);
        Assert.Contains("system's trust store", e.Message, StringComparison.Ordinal);
        Assert.Contains("Give --qbt-ca-file with the server's certificate or the CA that signed it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_CaFileOfAnotherCa_Refused()
    {
        using var other = TestCertificates.CreateCa("Some Other CA");
        using var certificate = TestCertificates.CreateServer(_ca, ip: IPAddress.Loopback);
        await using var server = new LoopbackTlsServer(certificate);
        var caFile = TestCertificates.WritePem(Path.Combine(_directory, "other.pem"), other);
        using var client = Client(server, "127.0.0.1", caFile);

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(TorrentClientFailure.CertificateRefused, e.Failure);
        Assert.Contains("untrusted chain", e.Message, StringComparison.Ordinal);
        Assert.Contains("'CN=Test WebUI CA'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"in '{caFile}' (--qbt-ca-file)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_CertificateForAnotherName_RefusedAsNameMismatchEvenWithTheCaFile()
    {
        using var certificate = TestCertificates.CreateServer(_ca, dnsName: "qbt.example");
        await using var server = new LoopbackTlsServer(certificate);
        using var client = Client(server, "127.0.0.1", TestCertificates.WritePem(Path.Combine(_directory, "ca.pem"), _ca));

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(TorrentClientFailure.CertificateRefused, e.Failure);
        Assert.Contains("name mismatch: the URL names '127.0.0.1' but the certificate is for DNS:qbt.example", e.Message, StringComparison.Ordinal);
        Assert.Contains("subjectAltName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_ExpiredCertificate_RefusedAsExpired()
    {
        using var certificate = TestCertificates.CreateServer(_ca, ip: IPAddress.Loopback, notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        await using var server = new LoopbackTlsServer(certificate);
        using var client = Client(server, "127.0.0.1", TestCertificates.WritePem(Path.Combine(_directory, "ca.pem"), _ca));

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(TorrentClientFailure.CertificateRefused, e.Failure);
        Assert.Contains("expired or not yet valid", e.Message, StringComparison.Ordinal);
        Assert.Contains("Renew qBittorrent's certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_CaFileFixedWhileRunning_TrustedAtTheNextHandshake()
    {
        using var other = TestCertificates.CreateCa("Some Other CA");
        using var certificate = TestCertificates.CreateServer(_ca, ip: IPAddress.Loopback);
        await using var server = new LoopbackTlsServer(certificate);
        var caFile = TestCertificates.WritePem(Path.Combine(_directory, "ca.pem"), other);
        using var client = Client(server, "127.0.0.1", caFile);
        await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        TestCertificates.WritePem(caFile, _ca);

        Assert.Equal(LoopbackTlsServer.ListenPort, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_HttpsUrlOnAPlainHttpPort_UnreachableSayingTlsFailed()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answer = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync();
            await tcp.GetStream().WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        });
        using var client = new QBittorrentClient(Options(new Uri($"https://127.0.0.1:{port}"), caFile: null), TimeProvider.System, NullLogger<QBittorrentClient>.Instance);

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(TorrentClientFailure.Unreachable, e.Failure);
        Assert.Contains("does that port serve https?", e.Message, StringComparison.Ordinal);
        await answer.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static QBittorrentClient Client(LoopbackTlsServer server, string host, string? caFile)
        => new(Options(new Uri($"https://{host}:{server.Port.ToString(CultureInfo.InvariantCulture)}"), caFile), TimeProvider.System, NullLogger<QBittorrentClient>.Instance);

    private static QBittorrentOptions Options(Uri url, string? caFile)
        => new() { BaseUrl = url, CaFile = caFile, RequestTimeout = TimeSpan.FromSeconds(5) };
}
