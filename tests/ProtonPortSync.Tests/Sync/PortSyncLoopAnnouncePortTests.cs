using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Sync;

/// <summary>The loop asks a client that can tell trackers another port to keep it right, at every in-sync check.</summary>
public sealed class PortSyncLoopAnnouncePortTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly FakeAnnouncePortClient _client = new();
    private readonly SyncSettings _settings = new();
    private readonly PortSyncLoop _loop;

    public PortSyncLoopAnnouncePortTests()
    {
        _loop = new PortSyncLoop(new FakePortMapper(_time), _client, new FakeRecoveryAction(_time), new RecordingObserver(), _settings, _time, NullLogger<PortSyncLoop>.Instance);
    }

    [Fact]
    public async Task Step_EveryInSyncCheck_AsksTheClientToKeepItsAnnouncePortForTheMappedPort()
    {
        await _loop.StepAsync(default);
        for (var i = 0; i < 10 && _client.Inner.Calls.Count < 3; i++)
        {
            _time.Advance(SyncDecisions.NextWake(_loop.State, _time.GetUtcNow(), _settings) - _time.GetUtcNow());
            await _loop.StepAsync(default);
        }

        Assert.Equal(["get", "set 40010", "get"], _client.Inner.Calls);
        Assert.Equal([40010, 40010], _client.Kept);
        Assert.True(_loop.State.InSync);
    }

    [Fact]
    public async Task Step_AnnouncePortCannotBeKept_CountsAsAClientFailure()
    {
        _client.KeepFailure = new TorrentClientException("fake", TorrentClientFailure.ReadBackMismatch, "announce_port stays 5555");

        await _loop.StepAsync(default);

        Assert.Equal(1, _loop.State.ClientFailures);
        Assert.False(_loop.State.InSync);
    }

    private sealed class FakeAnnouncePortClient : ITorrentClient, IAnnouncePortKeeper
    {
        public FakeTorrentClient Inner { get; } = new();

        public List<int> Kept { get; } = [];

        public TorrentClientException? KeepFailure { get; set; }

        public string Name => Inner.Name;

        public Task<int> GetListenPortAsync(CancellationToken cancellationToken) => Inner.GetListenPortAsync(cancellationToken);

        public Task SetListenPortAsync(int port, CancellationToken cancellationToken) => Inner.SetListenPortAsync(port, cancellationToken);

        public Task RebindAsync(int port, CancellationToken cancellationToken) => Inner.RebindAsync(port, cancellationToken);

        public Task KeepAnnouncePortAsync(int port, CancellationToken cancellationToken)
        {
            Kept.Add(port);
            return KeepFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
        }
    }
}
