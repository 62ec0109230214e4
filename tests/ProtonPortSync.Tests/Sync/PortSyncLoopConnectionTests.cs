using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Sync;

/// <summary>The loop reading the client's own connection status: recorded, never a client failure, a rebind when it stays disconnected.</summary>
public sealed class PortSyncLoopConnectionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly FakeConnectionStatusClient _client = new();
    private readonly SyncSettings _settings = new();
    private readonly PortSyncLoop _loop;

    public PortSyncLoopConnectionTests()
    {
        _loop = new PortSyncLoop(new FakePortMapper(_time), _client, new FakeRecoveryAction(_time), new RecordingObserver(), _settings, _time, NullLogger<PortSyncLoop>.Instance);
    }

    private async Task CyclesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var wake = SyncDecisions.NextWake(_loop.State, _time.GetUtcNow(), _settings);
            _time.Advance(wake - _time.GetUtcNow());
            await _loop.StepAsync(default);
        }
    }

    [Fact]
    public async Task Step_ClientReportsFirewalled_StateHasItAfterTheSync()
    {
        _client.Status = ClientConnectionStatus.Firewalled;

        await _loop.StepAsync(default);

        Assert.True(_loop.State.InSync);
        Assert.Equal(ClientConnectionStatus.Firewalled, _loop.State.ClientConnection);
        Assert.Equal(_time.GetUtcNow(), _loop.State.ClientConnectionSince);
        Assert.Equal(1, _client.StatusReads);
    }

    [Fact]
    public async Task Step_ClientWithoutStatus_StateHasNone()
    {
        var plain = new FakeTorrentClient();
        var loop = new PortSyncLoop(new FakePortMapper(_time), plain, new FakeRecoveryAction(_time), new RecordingObserver(), _settings, _time, NullLogger<PortSyncLoop>.Instance);

        await loop.StepAsync(default);

        Assert.True(loop.State.InSync);
        Assert.Null(loop.State.ClientConnection);
    }

    [Fact]
    public async Task Step_StatusReadFails_UnknownAndNotAClientFailure()
    {
        _client.StatusFailure = new TorrentClientException("fake", TorrentClientFailure.InvalidResponse, "transfer/info is not JSON");

        await _loop.StepAsync(default);

        Assert.True(_loop.State.InSync);
        Assert.Equal(0, _loop.State.ClientFailures);
        Assert.Equal(ClientConnectionStatus.Unknown, _loop.State.ClientConnection);
        Assert.Equal(_time.GetUtcNow() + _settings.RenewInterval, _loop.State.NextClientCheckAt);
    }

    [Fact]
    public async Task Run_InSyncButDisconnected_RebindsAfterThreeChecksAndAtMostThreeTimesAnHour()
    {
        _client.Status = ClientConnectionStatus.Disconnected;
        await _loop.StepAsync(default);
        Assert.Equal(["get", "set 40010"], _client.Inner.Calls);

        // Two more checks: still no rebind (one reading may be a listener being replaced).
        while (_client.StatusReads < 3)
        {
            Assert.DoesNotContain("rebind 40010", _client.Inner.Calls);
            await CyclesAsync(1);
        }

        // The third reading makes the rebind pending; the loop does it at once, on the same path as after a flap.
        await CyclesAsync(1);
        Assert.Equal(1, _client.Inner.Calls.Count(c => c == "rebind 40010"));

        // Disconnected for the rest of the hour (renewals and checks every 30-45 s): capped at three.
        var end = _time.GetUtcNow() + TimeSpan.FromMinutes(55);
        for (var i = 0; i < 1000 && _time.GetUtcNow() < end; i++)
        {
            await CyclesAsync(1);
        }

        Assert.Equal(_settings.MaxConnectionRebindsPerHour, _client.Inner.Calls.Count(c => c == "rebind 40010"));
        Assert.True(_loop.State.InSync);
    }

    [Fact]
    public async Task Run_DisconnectedThenConnected_NoRebind()
    {
        _client.Status = ClientConnectionStatus.Disconnected;
        await _loop.StepAsync(default);
        await CyclesAsync(2);
        _client.Status = ClientConnectionStatus.Connected;

        await CyclesAsync(20);

        Assert.DoesNotContain("rebind 40010", _client.Inner.Calls);
        Assert.Equal(ClientConnectionStatus.Connected, _loop.State.ClientConnection);
    }
}
