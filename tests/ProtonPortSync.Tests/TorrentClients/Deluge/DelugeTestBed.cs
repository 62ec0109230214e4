using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Deluge;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

/// <summary>A fake deluge-web + deluged, a fake clock, a password file in a temporary directory, and a client wired to them.</summary>
internal sealed class DelugeTestBed : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-deluge-").FullName;
    private DelugeClient? _client;

    public DelugeTestBed()
    {
        PasswordFile = Path.Combine(_directory, "password");
        QBittorrentTestBed.WriteSecret(PasswordFile, Fake.Password + "\n");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public DelugeFake Fake { get; } = new();

    public CapturingLogger Logger { get; } = new();

    public string PasswordFile { get; }

    public DelugeClient Client(bool reannounce = false) => _client ??= new DelugeClient(new DelugeOptions { PasswordFile = PasswordFile, Reannounce = reannounce }, Time, Logger, Fake);

    public static async Task<TorrentClientException> FailsWith(TorrentClientFailure failure, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<TorrentClientException>(call);
        Assert.True(failure == e.Failure, $"expected {failure}, got {e.Failure}: {e.Message}");
        Assert.Equal(DelugeClient.ClientName, e.ClientName);
        return e;
    }

    public void Dispose()
    {
        _client?.Dispose();
        Fake.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
