using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

/// <summary>A fake qBittorrent, a fake clock, secret files in a temporary directory, and clients wired to them.</summary>
internal sealed class QBittorrentTestBed : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-qbt-").FullName;
    private readonly List<QBittorrentClient> _clients = [];

    public QBittorrentTestBed(QBittorrentFakeVersion version = QBittorrentFakeVersion.V4)
    {
        Fake = new QBittorrentFake(version, Time);
        PasswordFile = Path.Combine(_directory, "password");
        ApiKeyFile = Path.Combine(_directory, "api-key");
        WriteSecret(PasswordFile, Fake.Password + "\n");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public QBittorrentFake Fake { get; }

    public CapturingLogger Logger { get; } = new();

    public string PasswordFile { get; }

    public string ApiKeyFile { get; }

    public Uri BaseUrl { get; } = new("http://127.0.0.1:8080");

    public static void WriteSecret(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>A client on the fake. The fake handler is shared, so it is wrapped to keep it alive across clients.</summary>
    public QBittorrentClient Client(bool password = true, bool apiKey = false, bool reannounce = false, Uri? baseUrl = null, QBittorrentAnnouncePort announcePort = QBittorrentAnnouncePort.Reset)
    {
        var client = new QBittorrentClient(
            new QBittorrentOptions
            {
                BaseUrl = baseUrl ?? BaseUrl,
                PasswordFile = password && !apiKey ? PasswordFile : null,
                ApiKeyFile = apiKey ? ApiKeyFile : null,
                Reannounce = reannounce,
                AnnouncePort = announcePort,
            },
            Time,
            Logger,
            new NonDisposingHandler(Fake));
        _clients.Add(client);
        return client;
    }

    public static async Task<TorrentClientException> FailsWith(TorrentClientFailure failure, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<TorrentClientException>(call);
        Assert.Equal(failure, e.Failure);
        Assert.Equal("qbittorrent", e.ClientName);
        return e;
    }

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        Fake.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class NonDisposingHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        // The fake outlives each client; the test bed disposes it.
        private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => _invoker.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _invoker.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
