using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Fakes;

/// <summary>A <see cref="FakeTorrentClient"/> that also reports a scripted connection status (as qBittorrent does).</summary>
internal sealed class FakeConnectionStatusClient : ITorrentClient, IConnectionStatusSource
{
    public FakeTorrentClient Inner { get; } = new();

    public ClientConnectionStatus Status { get; set; } = ClientConnectionStatus.Connected;

    /// <summary>When set, status reads throw this (the client cannot be asked); port calls still work.</summary>
    public TorrentClientException? StatusFailure { get; set; }

    public int StatusReads { get; private set; }

    public string Name => Inner.Name;

    public bool ReportsConnectionStatus { get; set; } = true;

    public Task<int> GetListenPortAsync(CancellationToken cancellationToken) => Inner.GetListenPortAsync(cancellationToken);

    public Task SetListenPortAsync(int port, CancellationToken cancellationToken) => Inner.SetListenPortAsync(port, cancellationToken);

    public Task RebindAsync(int port, CancellationToken cancellationToken) => Inner.RebindAsync(port, cancellationToken);

    public Task<ClientConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken)
    {
        StatusReads++;
        return StatusFailure is { } failure ? Task.FromException<ClientConnectionStatus>(failure) : Task.FromResult(Status);
    }
}
