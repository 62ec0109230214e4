using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Sync;

/// <summary>
/// Decisions that keep or clear a field rather than recompute it: a grant of the port the client already has, a rebind
/// exactly an hour old, the status of a client that stopped answering.
/// </summary>
public sealed class SyncDecisionsLeaseEdgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SyncSettings Settings = new();

    private static NatPmpMapping Mapping(NatPmpProtocol p, int lifetime, DateTimeOffset receivedAt)
        => new(p, 0, 40010, TimeSpan.FromSeconds(lifetime), 1, receivedAt, false);

    [Fact]
    public void AfterRenewal_GatewayGrantsThePortTheClientAlreadyHas_InSyncAtOnce()
    {
        // After a lapse the mapping was forgotten while the client kept listening on 40010; the gateway grants 40010 again.
        var state = SyncState.Initial with { MappedPort = null, ClientPort = 40010, OutOfSyncSince = T0.AddMinutes(-2) };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 60, T0), Mapping(NatPmpProtocol.Tcp, 60, T0), T0, Settings);

        Assert.True(next.InSync);
        Assert.Null(next.OutOfSyncSince);
    }

    [Fact]
    public void AfterConnectionStatus_RebindExactlyAnHourOld_NoLongerCounts()
    {
        var state = SyncState.Initial with
        {
            MappedPort = 40000,
            ClientPort = 40000,
            ClientConnection = ClientConnectionStatus.Disconnected,
            DisconnectedChecks = Settings.DisconnectedChecksBeforeRebind - 1,
            ConnectionRebinds = [T0.AddHours(-1), T0.AddMinutes(-59), T0.AddMinutes(-58)],
        };

        var verdict = SyncDecisions.AfterConnectionStatus(state, ClientConnectionStatus.Disconnected, T0, Settings);

        Assert.Equal(ConnectionAction.Rebind, verdict.Action);
        Assert.Equal([T0.AddMinutes(-59), T0.AddMinutes(-58), T0], verdict.State.ConnectionRebinds.ToArray());
    }

    [Fact]
    public void CurrentClientConnection_ClientCouldNotBeRead_NotShown()
    {
        // A client that stopped answering must not go on being shown as "connected" in metrics and /status.
        var synced = SyncDecisions.AfterClientSynced(SyncState.Initial with { MappedPort = 40000 }, 40000, T0, Settings)
            with { ClientConnection = ClientConnectionStatus.Connected };
        Assert.Equal(ClientConnectionStatus.Connected, synced.CurrentClientConnection);

        var failed = SyncDecisions.AfterClientFailure(synced, T0.AddSeconds(45), null, Settings);

        Assert.Null(failed.CurrentClientConnection);
        Assert.Equal(ClientConnectionStatus.Connected, failed.ClientConnection); // what it last said is kept for when it answers again
    }
}
