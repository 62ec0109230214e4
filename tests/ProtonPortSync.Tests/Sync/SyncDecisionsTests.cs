using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Sync;

public class SyncDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SyncSettings Settings = new();

    private static NatPmpMapping Mapping(NatPmpProtocol p, int port, int lifetime = 60) => new(p, 0, (ushort)port, TimeSpan.FromSeconds(lifetime), 1, T0, false);

    [Theory]
    [InlineData(60, 45, 30)] // ProtonVPN's 60 s: half the lifetime is sooner
    [InlineData(120, 45, 45)] // a longer lease: the renew interval is sooner
    [InlineData(60, 5, 5)] // impatient users and tests
    public void NextRenewal_SoonerOfIntervalAndHalfLifetime(int lifetime, int interval, int expectedSeconds)
        => Assert.Equal(T0.AddSeconds(expectedSeconds), SyncDecisions.NextRenewal(T0, TimeSpan.FromSeconds(lifetime), TimeSpan.FromSeconds(interval)));

    [Theory]
    [InlineData(null, 5, 5)] // no lease: the request timeout
    [InlineData(30, 5, 5)]
    [InlineData(3, 5, 3)] // bounded by the lease left
    [InlineData(0, 5, 1)] // never below one second
    public void AttemptTimeout_BoundedByLeaseLeft(int? leaseLeftSeconds, int requestTimeout, int expected)
    {
        DateTimeOffset? lease = leaseLeftSeconds is { } s ? T0.AddSeconds(s) : null;

        Assert.Equal(TimeSpan.FromSeconds(expected), SyncDecisions.AttemptTimeout(T0, lease, TimeSpan.FromSeconds(requestTimeout)));
    }

    [Fact]
    public void AfterRenewal_NewPort_ClientUpdatedAtOnceAndChangeTimeRecorded()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, LeaseExpiresAt = T0.AddSeconds(30), NextClientCheckAt = T0.AddSeconds(40) };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 51000), Mapping(NatPmpProtocol.Tcp, 51000), T0, Settings);

        Assert.Equal(51000, next.MappedPort);
        Assert.Equal(T0, next.NextClientCheckAt);
        Assert.Equal(T0, next.LastChangeAt);
        Assert.Equal(T0.AddSeconds(60), next.LeaseExpiresAt);
        Assert.Equal(T0.AddSeconds(30), next.NextRenewAt);
        Assert.Equal(T0, next.OutOfSyncSince);
        Assert.False(next.InSync);
    }

    [Fact]
    public void AfterRenewal_SamePort_NoClientCheckMovedAndNoChange()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, LeaseExpiresAt = T0.AddSeconds(30), NextClientCheckAt = T0.AddSeconds(40), LastChangeAt = T0.AddHours(-1) };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.Equal(T0.AddSeconds(40), next.NextClientCheckAt);
        Assert.Equal(T0.AddHours(-1), next.LastChangeAt);
        Assert.False(next.RebindPending);
        Assert.True(next.InSync);
    }

    [Fact]
    public void AfterRenewal_UdpAndTcpDiffer_UsesTcpAndShortestLifetime()
    {
        var next = SyncDecisions.AfterRenewal(SyncState.Initial, Mapping(NatPmpProtocol.Udp, 40010, 60), Mapping(NatPmpProtocol.Tcp, 40011, 40), T0, Settings);

        Assert.Equal(40011, next.MappedPort);
        Assert.Equal(T0.AddSeconds(40), next.LeaseExpiresAt);
    }

    [Fact]
    public void AfterRenewal_RepliesAtDifferentTimes_LeaseAndRenewalFromTheEarlierExpiry()
    {
        var udp = Mapping(NatPmpProtocol.Udp, 40010) with { ReceivedAt = T0 };
        var tcp = Mapping(NatPmpProtocol.Tcp, 40010) with { ReceivedAt = T0.AddSeconds(4) };

        var next = SyncDecisions.AfterRenewal(SyncState.Initial, udp, tcp, T0.AddSeconds(5), Settings);

        Assert.Equal(T0.AddSeconds(60), next.LeaseExpiresAt);
        Assert.Equal(T0.AddSeconds(30), next.NextRenewAt);
    }

    [Theory]
    [InlineData(1023, false)]
    [InlineData(1024, true)]
    [InlineData(65535, true)]
    [InlineData(65536, false)]
    [InlineData(0, false)]
    public void IsListenPortAllowed_OnlyUnprivilegedPorts(int port, bool allowed)
        => Assert.Equal(allowed, SyncDecisions.IsListenPortAllowed(port));

    [Fact]
    public void AfterRenewal_SamePortAfterLeaseLapsed_RebindPending()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, LeaseExpiresAt = T0.AddSeconds(-5) };

        var next = SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, 40010), Mapping(NatPmpProtocol.Tcp, 40010), T0, Settings);

        Assert.True(next.RebindPending);
    }

    [Fact]
    public void AfterRenewalFailure_CountsAndRetriesSoon_KeepsLiveLease()
    {
        var state = SyncState.Initial with { MappedPort = 40010, LeaseExpiresAt = T0.AddSeconds(20), ConsecutiveFailures = 1 };

        var next = SyncDecisions.AfterRenewalFailure(state, "no reply", T0, Settings);

        Assert.Equal(2, next.ConsecutiveFailures);
        Assert.Equal(T0 + Settings.FailureRetryDelay, next.NextRenewAt);
        Assert.Equal(40010, next.MappedPort);
        Assert.Equal(T0.AddSeconds(20), next.LeaseExpiresAt);
        Assert.Equal("no reply", next.LastError);
    }

    [Fact]
    public void AfterRenewalFailure_LeaseLapsed_ForgetsPort()
    {
        var state = SyncState.Initial with { MappedPort = 40010, LeaseExpiresAt = T0.AddSeconds(-1) };

        var next = SyncDecisions.AfterRenewalFailure(state, "no reply", T0, Settings);

        Assert.Null(next.MappedPort);
        Assert.Null(next.LeaseExpiresAt);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void ShouldRecover_AtMaxFailures(int failures, bool expected)
        => Assert.Equal(expected, SyncDecisions.ShouldRecover(SyncState.Initial with { ConsecutiveFailures = failures }, Settings));

    [Fact]
    public void RecoveryAllowed_CapPerHour_CountsOnlyTheLastHour()
    {
        var settings = Settings with { MaxRecoveriesPerHour = 2 };
        var state = SyncState.Initial with { Recoveries = [T0.AddMinutes(-61), T0.AddMinutes(-30), T0.AddMinutes(-1)] };

        Assert.False(SyncDecisions.RecoveryAllowed(state, T0, settings));
        Assert.True(SyncDecisions.RecoveryAllowed(state, T0.AddMinutes(30), settings));
    }

    [Fact]
    public void RecoveryAllowed_ZeroPerHour_NeverRecovers()
        => Assert.False(SyncDecisions.RecoveryAllowed(SyncState.Initial, T0, Settings with { MaxRecoveriesPerHour = 0 }));

    [Fact]
    public void AfterRecovery_ForgetsPortWaitsCooldownAndRebindsLater()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010, ConsecutiveFailures = 3, LeaseExpiresAt = T0 };

        var next = SyncDecisions.AfterRecovery(state, T0, Settings);

        Assert.Null(next.MappedPort);
        Assert.Equal(0, next.ConsecutiveFailures);
        Assert.Equal(T0 + Settings.RecoveryCooldown, next.CooldownUntil);
        Assert.True(next.RebindPending);
        Assert.Equal(T0, Assert.Single(next.Recoveries));
        Assert.False(SyncDecisions.IsRenewalDue(next, T0.AddSeconds(9)));
        Assert.True(SyncDecisions.IsRenewalDue(next, T0.AddSeconds(10)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 45)] // capped at the renew interval
    [InlineData(50, 45)]
    public void ClientBackoff_DoublesUpToTheRenewInterval(int failures, int expectedSeconds)
        => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SyncDecisions.ClientBackoff(failures, Settings));

    [Fact]
    public void AfterClientFailure_AdapterRetryTimeLater_Respected()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010 };

        var next = SyncDecisions.AfterClientFailure(state, T0, T0.AddMinutes(15), Settings);

        Assert.Equal(T0.AddMinutes(15), next.NextClientCheckAt);
        Assert.Equal(T0, next.OutOfSyncSince);
        Assert.Null(next.ClientPort);
        Assert.False(next.InSync);
    }

    [Theory]
    [InlineData(15, 15)] // until the renewal
    [InlineData(1, 3)] // at least a few seconds
    [InlineData(-5, 3)] // renewal overdue
    public void ClientBudget_UntilNextRenewalButNotBelowMinimum(int renewInSeconds, int expectedSeconds)
        => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SyncDecisions.ClientBudget(SyncState.Initial with { NextRenewAt = T0.AddSeconds(renewInSeconds) }, T0));

    [Fact]
    public void NextWake_EarliestOfRenewalClientCheckAndMaxSleep()
    {
        var state = SyncState.Initial with { MappedPort = 40010, NextRenewAt = T0.AddSeconds(30), NextClientCheckAt = T0.AddSeconds(8) };

        Assert.Equal(T0.AddSeconds(8), SyncDecisions.NextWake(state, T0, Settings));
        Assert.Equal(T0.AddSeconds(15), SyncDecisions.NextWake(state with { NextClientCheckAt = T0.AddSeconds(40) }, T0, Settings));
        Assert.Equal(T0.AddSeconds(5), SyncDecisions.NextWake(state with { NextRenewAt = T0.AddSeconds(5) }, T0, Settings));
    }

    [Fact]
    public void NextWake_InCooldown_WaitsForItsEnd()
    {
        var state = SyncState.Initial with { NextRenewAt = T0.AddSeconds(10), CooldownUntil = T0.AddSeconds(10) };

        Assert.Equal(T0.AddSeconds(10), SyncDecisions.NextWake(state, T0, Settings));
    }

    [Theory]
    [InlineData(40010, false)]
    [InlineData(6881, true)]
    [InlineData(0, true)]
    public void IsDrifted_ComparesClientPortWithMapped(int clientPort, bool expected)
        => Assert.Equal(expected, SyncDecisions.IsDrifted(SyncState.Initial with { MappedPort = 40010 }, clientPort));
}
