using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Sync;

/// <summary>The client side of the decisions at their edges: check times, backoff caps, the next wake.</summary>
public sealed class SyncDecisionsClientBoundaryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SyncSettings Settings = new();

    [Theory]
    [InlineData(40010, 0, true)] // the check time is now
    [InlineData(40010, 1, false)]
    [InlineData(null, -60, false)] // no mapped port: nothing to give the client
    public void IsClientCheckDue_AtTheEdges(int? mapped, int checkInMs, bool expected)
        => Assert.Equal(expected, SyncDecisions.IsClientCheckDue(SyncState.Initial with { MappedPort = mapped, NextClientCheckAt = T0.AddMilliseconds(checkInMs) }, T0));

    [Fact]
    public void IsDrifted_NoMappedPort_NeverDrifted()
        => Assert.False(SyncDecisions.IsDrifted(SyncState.Initial, 6881));

    [Fact]
    public void AfterClientSynced_Matching_InSyncFailuresClearedNextCheckAtRenewInterval()
    {
        var state = SyncState.Initial with { MappedPort = 40010, ClientFailures = 3, RebindPending = true, OutOfSyncSince = T0.AddMinutes(-1) };

        var next = SyncDecisions.AfterClientSynced(state, 40010, T0, Settings);

        Assert.Equal(40010, next.ClientPort);
        Assert.Equal(0, next.ClientFailures);
        Assert.False(next.RebindPending);
        Assert.Equal(T0 + Settings.RenewInterval, next.NextClientCheckAt);
        Assert.Null(next.OutOfSyncSince);
        Assert.True(next.InSync);
    }

    [Fact]
    public void AfterClientSynced_StillDifferent_OutOfSyncSinceKeptFromFirstTime()
    {
        var since = T0.AddMinutes(-1);
        var state = SyncState.Initial with { MappedPort = 40010, OutOfSyncSince = since };

        Assert.Equal(since, SyncDecisions.AfterClientSynced(state, 6881, T0, Settings).OutOfSyncSince);
        Assert.Equal(T0, SyncDecisions.AfterClientSynced(state with { OutOfSyncSince = null }, 6881, T0, Settings).OutOfSyncSince);
    }

    [Fact]
    public void AfterClientFailure_AdapterRetryTimeEarlier_BackoffWins()
    {
        var since = T0.AddMinutes(-2);
        var state = SyncState.Initial with { MappedPort = 40010, ClientFailures = 2, OutOfSyncSince = since };

        var next = SyncDecisions.AfterClientFailure(state, T0, T0.AddSeconds(1), Settings);

        Assert.Equal(3, next.ClientFailures);
        Assert.Equal(T0.AddSeconds(4), next.NextClientCheckAt); // third failure: 4 s
        Assert.Equal(since, next.OutOfSyncSince);
    }

    [Fact]
    public void AfterClientFailure_NoAdapterRetryTime_Backoff()
        => Assert.Equal(T0.AddSeconds(1), SyncDecisions.AfterClientFailure(SyncState.Initial, T0, null, Settings).NextClientCheckAt);

    [Theory]
    [InlineData(0, 45, 1)] // no failure counted yet: never below one second
    [InlineData(21, 3600, 60)] // beyond the exponent's clamp: the one-minute cap
    [InlineData(int.MaxValue, 3600, 60)]
    [InlineData(7, 120, 60)] // a renew interval longer than a minute: one minute caps it
    [InlineData(4, 5, 5)] // a short renew interval caps it
    public void ClientBackoff_CappedByRenewIntervalAndOneMinute(int failures, int renewIntervalSeconds, int expectedSeconds)
        => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SyncDecisions.ClientBackoff(failures, Settings with { RenewInterval = TimeSpan.FromSeconds(renewIntervalSeconds) }));

    [Fact]
    public void NextWake_CooldownEndsAfterRenewal_WaitsForTheCooldown()
    {
        var state = SyncState.Initial with { NextRenewAt = T0.AddSeconds(2), CooldownUntil = T0.AddSeconds(9) };

        Assert.Equal(T0.AddSeconds(9), SyncDecisions.NextWake(state, T0, Settings));
    }

    [Fact]
    public void NextWake_CooldownEndedBeforeRenewal_WakesForTheRenewal()
    {
        var state = SyncState.Initial with { NextRenewAt = T0.AddSeconds(7), CooldownUntil = T0.AddSeconds(-1) };

        Assert.Equal(T0.AddSeconds(7), SyncDecisions.NextWake(state, T0, Settings));
    }

    [Fact]
    public void NextWake_NoMappedPort_ClientCheckIgnored()
    {
        var state = SyncState.Initial with { NextRenewAt = T0.AddSeconds(12), NextClientCheckAt = T0.AddSeconds(2) };

        Assert.Equal(T0.AddSeconds(12), SyncDecisions.NextWake(state, T0, Settings));
    }

    [Fact]
    public void NextWake_EverythingOverdue_Now()
    {
        var state = SyncState.Initial with { MappedPort = 40010, NextRenewAt = T0.AddSeconds(-30), NextClientCheckAt = T0.AddSeconds(-40) };

        Assert.Equal(T0, SyncDecisions.NextWake(state, T0, Settings));
    }
}
