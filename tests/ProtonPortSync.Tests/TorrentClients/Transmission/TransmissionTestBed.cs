using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

/// <summary>A fake Transmission, a fake clock, a password file in a temporary directory, and a client wired to them.</summary>
internal sealed class TransmissionTestBed : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly string _directory = Directory.CreateTempSubdirectory("pps-tr-").FullName;
    private TransmissionClient? _client;

    public TransmissionTestBed()
    {
        PasswordFile = Path.Combine(_directory, "password");
        QBittorrentTestBed.WriteSecret(PasswordFile, Fake.Password + "\n");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public TransmissionFake Fake { get; } = new();

    /// <summary>Captures every entry; it is typed for qBittorrent but the adapters take any <c>ILogger</c>.</summary>
    public CapturingLogger Logger { get; } = new();

    public string PasswordFile { get; }

    /// <summary>The client under test (one per bed; it owns the fake handler, whose state stays readable after).</summary>
    public TransmissionClient Client(bool password = true, bool reannounce = false, bool portTest = false) => _client ??= new TransmissionClient(
        new TransmissionOptions { Username = Fake.Username, PasswordFile = password ? PasswordFile : null, RequestTimeout = RequestTimeout, Reannounce = reannounce, PortTest = portTest },
        Time,
        Logger,
        Fake);

    public static async Task<TorrentClientException> FailsWith(TorrentClientFailure failure, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<TorrentClientException>(call);
        Assert.True(failure == e.Failure, $"expected {failure}, got {e.Failure}: {e.Message}");
        Assert.Equal(TransmissionClient.ClientName, e.ClientName);
        return e;
    }

    public void Dispose()
    {
        _client?.Dispose();
        Fake.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
