using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Sync;

/// <summary>The decisions at their edges: the instant a time is reached, a lease that ends exactly now, the hour window.</summary>
public sealed class SyncDecisionsBoundaryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SyncSettings Settings = new();

    private static NatPmpMapping Mapping(NatPmpProtocol p, int port, int lifetime = 60) => new(p, 0, (ushort)port, TimeSpan.FromSeconds(lifetime), 1, T0, false);

    [Theory]
    [InlineData(1, null, false)] // a millisecond before the renewal
    [InlineData(0, null, true)] // at the renewal time itself
    [InlineData(0, 1, false)] // due, but the cooldown has a millisecond left
    [InlineData(0, 0, true)] // the cooldown ends now
    [InlineData(0, -1, true)]
    public void IsRenewalDue_AtTheEdges(int renewInMs, int? cooldownLeftMs, bool expected)
    {
        var state = SyncState.Initial with
        {
            NextRenewAt = T0.AddMilliseconds(renewInMs),
            CooldownUntil = cooldownLeftMs is { } c ? T0.AddMilliseconds(c) : null,
        };

        Assert.Equal(expected, SyncDecisions.IsRenewalDue(state, T0));
    }

    [Theory]
    [InlineData(500, 1000)] // half a second away: pushed to the 1 s floor
    [InlineData(-3000, 1000)] // in the past
    [InlineData(1500, 1500)]
    public void NotSoonerThanMinimum_FloorOfOneSecond(int atMs, int expectedMs)
        => Assert.Equal(T0.AddMilliseconds(expectedMs), SyncDecisions.NotSoonerThanMinimum(T0, T0.AddMilliseconds(atMs)));

    [Fact]
    public void AttemptTimeout_LeaseAlreadyLapsed_OneSecond()
        => Assert.Equal(TimeSpan.FromSeconds(1), SyncDecisions.AttemptTimeout(T0, T0.AddSeconds(-30), TimeSpan.FromSeconds(5)));

    [Fact]
    public void AttemptTimeout_LeaseLeftBetweenMinimumAndTimeout_TheLeaseLeft()
        => Assert.Equal(TimeSpan.FromMilliseconds(1500), SyncDecisions.AttemptTimeout(T0, T0.AddMilliseconds(1500), TimeSpan.FromSeconds(5)));

    [Theory]
    [InlineData(0, true)] // the lease ends exactly now: lapsed
    [InlineData(1, false)] // a millisecond left: still live
    public void AfterRenewal_SamePortLeaseEndingNow_RebindOnlyWhenLapsed(int leaseLeftMs, bool rebind)
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, LeaseExpiresAt = T0.AddMilliseconds(leaseLeftMs) };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.Equal(rebind, next.RebindPending);
    }

    [Fact]
    public void AfterRenewal_NoLeaseYetButClientKnown_RebindPending()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010 };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.True(next.RebindPending);
    }

    [Fact]
    public void AfterRenewal_LapsedButClientNeverRead_NoRebind()
    {
        var next = SyncDecisions.AfterRenewal(SyncState.Initial, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.False(next.RebindPending);
    }

    [Fact]
    public void AfterRenewal_RebindAlreadyPending_StaysPending()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, LeaseExpiresAt = T0.AddSeconds(30), RebindPending = true };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.True(next.RebindPending);
    }

    [Fact]
    public void AfterRenewal_NewPortAfterLapse_NoRebindSinceTheChangeMovesTheListener()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, LeaseExpiresAt = T0.AddSeconds(-5) };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 51000), Mapping(NatPmpProtocol.Tcp, 51000), T0, Settings);

        Assert.False(next.RebindPending);
    }

    [Fact]
    public void AfterRenewal_AfterFailures_ClearsErrorCountCooldownAndRecordsRenewal()
    {
        var state = SyncState.Initial with { ConsecutiveFailures = 2, LastError = "no reply", CooldownUntil = T0.AddSeconds(-1), ClientFailures = 4 };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.Equal(0, next.ConsecutiveFailures);
        Assert.Null(next.LastError);
        Assert.Null(next.CooldownUntil);
        Assert.Equal(T0, next.LastRenewalAt);
        Assert.Equal(0, next.ClientFailures); // a new port: the client gets a fresh start
    }

    [Fact]
    public void AfterRenewal_SamePort_ClientFailuresAndOutOfSyncKept()
    {
        var since = T0.AddMinutes(-3);
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 6881, LeaseExpiresAt = T0.AddSeconds(30), ClientFailures = 4, OutOfSyncSince = since };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.Equal(4, next.ClientFailures);
        Assert.Equal(since, next.OutOfSyncSince);
    }

    [Fact]
    public void AfterRenewal_UdpShorterThanTcp_ScheduledOnUdp()
    {
        var next = SyncDecisions.AfterRenewal(SyncState.Initial, Mapping(NatPmpProtocol.Udp, 40010, 20), Mapping(NatPmpProtocol.Tcp, 40010, 60), T0, Settings);

        Assert.Equal(T0.AddSeconds(20), next.LeaseExpiresAt);
        Assert.Equal(T0.AddSeconds(10), next.NextRenewAt);
    }

    [Fact]
    public void AfterRenewalFailure_LeaseEndingExactlyNow_ForgetsPort()
    {
        var state = SyncState.Initial with { MappedPort = 40010, LeaseExpiresAt = T0 };

        var next = SyncDecisions.AfterRenewalFailure(state, "no reply", T0, Settings);

        Assert.Null(next.MappedPort);
        Assert.Null(next.LeaseExpiresAt);
    }

    [Fact]
    public void RecentRecoveries_ExactlyOneHourOld_OutOfTheWindow()
    {
        var state = SyncState.Initial with { Recoveries = [T0.AddHours(-1), T0.AddHours(-1).AddMilliseconds(1)] };

        Assert.Equal([T0.AddHours(-1).AddMilliseconds(1)], SyncDecisions.RecentRecoveries(state, T0).ToArray());
    }

    [Fact]
    public void RecoveryAllowed_OneBelowTheCap_Allowed()
    {
        var state = SyncState.Initial with { Recoveries = [T0.AddMinutes(-10)] };

        Assert.True(SyncDecisions.RecoveryAllowed(state, T0, Settings with { MaxRecoveriesPerHour = 2 }));
        Assert.False(SyncDecisions.RecoveryAllowed(state, T0, Settings with { MaxRecoveriesPerHour = 1 }));
    }

    [Fact]
    public void AfterRecovery_ClientNeverRead_NoRebindAndOldRecoveriesDropped()
    {
        var state = SyncState.Initial with { Recoveries = [T0.AddHours(-2), T0.AddMinutes(-5)], LeaseExpiresAt = T0 };

        var next = SyncDecisions.AfterRecovery(state, T0, Settings);

        Assert.False(next.RebindPending);
        Assert.Null(next.LeaseExpiresAt);
        Assert.Equal([T0.AddMinutes(-5), T0], next.Recoveries.ToArray());
        Assert.Equal(T0 + Settings.RecoveryCooldown, next.NextRenewAt);
    }

    [Fact]
    public void AfterRecoveryRefused_KeepsTryingAtTheRenewInterval()
    {
        var state = SyncState.Initial with { ConsecutiveFailures = 3, Recoveries = [T0.AddHours(-2), T0.AddMinutes(-5)] };

        var next = SyncDecisions.AfterRecoveryRefused(state, T0, Settings);

        Assert.Equal(0, next.ConsecutiveFailures);
        Assert.Equal(T0 + Settings.RenewInterval, next.NextRenewAt);
        Assert.Equal([T0.AddMinutes(-5)], next.Recoveries.ToArray());
    }
}
