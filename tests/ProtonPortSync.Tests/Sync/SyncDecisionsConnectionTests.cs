using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Sync;

/// <summary>The client's own connection status: when it forces a rebind, and how often at most.</summary>
public sealed class SyncDecisionsConnectionTests
{
    private static readonly SyncSettings Settings = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _time.GetUtcNow();

    private static SyncState InSync(DateTimeOffset now) => SyncState.Initial with
    {
        MappedPort = 40000,
        LeaseExpiresAt = now.AddSeconds(60),
        ClientPort = 40000,
        NextClientCheckAt = now + Settings.RenewInterval,
    };

    /// <summary>Reports <paramref name="status"/> <paramref name="checks"/> times, one renew interval apart.</summary>
    private ConnectionVerdict Report(SyncState state, ClientConnectionStatus status, int checks)
    {
        var verdict = new ConnectionVerdict(state, ConnectionAction.None);
        for (var i = 0; i < checks; i++)
        {
            if (i > 0)
            {
                _time.Advance(Settings.RenewInterval);
            }

            verdict = SyncDecisions.AfterConnectionStatus(verdict.State with { RebindPending = false }, status, Now, Settings);
        }

        return verdict;
    }

    [Fact]
    public void AfterConnectionStatus_DisconnectedInSyncForThreeChecks_RebindPendingAndCheckedAtOnce()
    {
        var two = Report(InSync(Now), ClientConnectionStatus.Disconnected, 2);
        Assert.Equal(ConnectionAction.None, two.Action);
        Assert.False(two.State.RebindPending);

        _time.Advance(Settings.RenewInterval);
        var third = SyncDecisions.AfterConnectionStatus(two.State, ClientConnectionStatus.Disconnected, Now, Settings);

        Assert.Equal(ConnectionAction.Rebind, third.Action);
        Assert.True(third.State.RebindPending);
        Assert.Equal(Now, third.State.NextClientCheckAt);
        Assert.Equal(0, third.State.DisconnectedChecks);
        Assert.Equal(Now, Assert.Single(third.State.ConnectionRebinds));
    }

    [Fact]
    public void AfterConnectionStatus_ConnectedBetweenDisconnects_CountStartsAgain()
    {
        var state = Report(InSync(Now), ClientConnectionStatus.Disconnected, 2).State;
        state = SyncDecisions.AfterConnectionStatus(state, ClientConnectionStatus.Connected, Now, Settings).State;

        var verdict = Report(state, ClientConnectionStatus.Disconnected, 2);

        Assert.Equal(ConnectionAction.None, verdict.Action);
        Assert.Equal(2, verdict.State.DisconnectedChecks);
    }

    [Fact]
    public void AfterConnectionStatus_DisconnectedWhileOutOfSync_NeverRebinds()
    {
        // Out of sync is the port reconcile's business: it sets the port, which rebinds anyway.
        var verdict = Report(InSync(Now) with { ClientPort = 6881 }, ClientConnectionStatus.Disconnected, 10);

        Assert.Equal(ConnectionAction.None, verdict.Action);
        Assert.Equal(0, verdict.State.DisconnectedChecks);
        Assert.False(verdict.State.RebindPending);
    }

    [Theory]
    [InlineData("firewalled")]
    [InlineData("unknown")]
    [InlineData("connected")]
    public void AfterConnectionStatus_OtherStatusForLong_NeverRebinds(string status)
    {
        var verdict = Report(InSync(Now), ClientConnectionStatusText.Parse(status), 50);

        Assert.Equal(ConnectionAction.None, verdict.Action);
        Assert.Empty(verdict.State.ConnectionRebinds);
    }

    [Fact]
    public void AfterConnectionStatus_StaysDisconnected_AtMostThreeRebindsAnHourThenCappedThenAllowedAgain()
    {
        var start = Now;
        var state = InSync(Now);
        var actions = new List<(TimeSpan At, ConnectionAction Action)>();

        // Disconnected every 45 s for an hour: 80 checks.
        for (var i = 0; i < 80; i++)
        {
            var verdict = SyncDecisions.AfterConnectionStatus(state with { RebindPending = false }, ClientConnectionStatus.Disconnected, Now, Settings);
            state = verdict.State;
            if (verdict.Action != ConnectionAction.None)
            {
                actions.Add((Now - start, verdict.Action));
            }

            _time.Advance(Settings.RenewInterval);
        }

        Assert.Equal(3, actions.Count(a => a.Action == ConnectionAction.Rebind));
        Assert.Contains(actions, a => a.Action == ConnectionAction.RebindCapped);
        Assert.All(actions.Where(a => a.Action == ConnectionAction.Rebind), a => Assert.True(a.At < TimeSpan.FromMinutes(10)));

        // An hour after the first rebind, one more is allowed.
        var later = actions.First().At + SyncSettings.RecoveryWindow;
        _time.Advance(later - (Now - start));
        var again = Report(state with { DisconnectedChecks = 0 }, ClientConnectionStatus.Disconnected, Settings.DisconnectedChecksBeforeRebind);
        Assert.Equal(ConnectionAction.Rebind, again.Action);
        Assert.True(again.State.ConnectionRebinds.Length <= Settings.MaxConnectionRebindsPerHour);
    }

    [Fact]
    public void AfterConnectionStatus_SameStatus_KeepsSinceNewStatus_ResetsIt()
    {
        var first = SyncDecisions.AfterConnectionStatus(InSync(Now), ClientConnectionStatus.Firewalled, Now, Settings).State;
        var since = Now;
        _time.Advance(TimeSpan.FromMinutes(5));
        var same = SyncDecisions.AfterConnectionStatus(first, ClientConnectionStatus.Firewalled, Now, Settings).State;
        _time.Advance(TimeSpan.FromMinutes(5));
        var changed = SyncDecisions.AfterConnectionStatus(same, ClientConnectionStatus.Connected, Now, Settings).State;

        Assert.Equal(since, same.ClientConnectionSince);
        Assert.Equal(ClientConnectionStatus.Connected, changed.ClientConnection);
        Assert.Equal(Now, changed.ClientConnectionSince);
    }
}
