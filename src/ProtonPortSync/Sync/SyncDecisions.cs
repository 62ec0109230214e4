using ProtonPortSync.NatPmp;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Sync;

/// <summary>The loop's decisions, as pure functions of the state, the time and the settings.</summary>
internal static class SyncDecisions
{
    /// <summary>The shortest time an exchange is given, even when the lease has almost run out.</summary>
    public static readonly TimeSpan MinimumAttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time between two renewals, whatever any peer says: with a floor here, no reply sequence (lifetime
    /// 1 s, errors, invalid grants) can make the loop ask the gateway faster than a couple of requests a second.
    /// </summary>
    public static readonly TimeSpan MinimumRenewalSpacing = TimeSpan.FromSeconds(1);

    public static bool IsRenewalDue(SyncState state, DateTimeOffset now)
        => now >= state.NextRenewAt && (state.CooldownUntil is not { } c || now >= c);

    /// <summary>
    /// The renewal time after a grant: at the renew interval or half the granted lifetime, whichever is sooner
    /// (RFC 6886 §3.3 suggests renewing at half the lifetime).
    /// </summary>
    public static DateTimeOffset NextRenewal(DateTimeOffset receivedAt, TimeSpan granted, TimeSpan renewInterval)
    {
        var half = granted / 2;
        return NotSoonerThanMinimum(receivedAt, receivedAt + (half < renewInterval ? half : renewInterval));
    }

    /// <summary><paramref name="at"/>, or <see cref="MinimumRenewalSpacing"/> after <paramref name="now"/> if that is later.</summary>
    public static DateTimeOffset NotSoonerThanMinimum(DateTimeOffset now, DateTimeOffset at)
        => at - now < MinimumRenewalSpacing ? now + MinimumRenewalSpacing : at;

    /// <summary>
    /// How long one renewal may take: the request timeout, but never past the end of a live lease (a renewal that
    /// answers after the lease lapsed is a failure in all but name), and never below one second.
    /// </summary>
    public static TimeSpan AttemptTimeout(DateTimeOffset now, DateTimeOffset? leaseExpiresAt, TimeSpan requestTimeout)
    {
        var timeout = requestTimeout;
        if (leaseExpiresAt is { } end && end - now < timeout)
        {
            timeout = end - now;
        }

        return timeout < MinimumAttemptTimeout ? MinimumAttemptTimeout : timeout;
    }

    public const int MinListenPort = HttpTorrentClient.MinListenPort;
    public const int MaxListenPort = HttpTorrentClient.MaxListenPort;

    /// <summary>A port a torrent client may be given: 1024–65535 (the adapters refuse anything else before sending).</summary>
    public static bool IsListenPortAllowed(int port) => port is >= MinListenPort and <= MaxListenPort;

    /// <summary>The port to give the client: TCP's when UDP and TCP differ (peers connect over TCP first).</summary>
    public static int SelectPort(NatPmpMapping udp, NatPmpMapping tcp) => tcp.ExternalPort;

    /// <summary>The state after both mappings were granted.</summary>
    public static SyncState AfterRenewal(SyncState state, NatPmpMapping udp, NatPmpMapping tcp, DateTimeOffset now, SyncSettings settings)
    {
        var port = SelectPort(udp, tcp);
        var changed = state.MappedPort != port;
        var lapsed = state.LeaseExpiresAt is null || state.LeaseExpiresAt <= now;

        // The lease is the shorter of the two, counted from when each reply arrived (UDP's came first), not from now;
        // and never more than was asked: a grant of hours must not stretch the schedule.
        var first = udp.ReceivedAt + udp.UsableLifetime <= tcp.ReceivedAt + tcp.UsableLifetime ? udp : tcp;
        return state with
        {
            MappedPort = port,
            LeaseExpiresAt = first.ReceivedAt + first.UsableLifetime,
            NextRenewAt = NotSoonerThanMinimum(now, NextRenewal(first.ReceivedAt, first.UsableLifetime, settings.RenewInterval)),
            LastRenewalAt = now,
            LastChangeAt = changed ? now : state.LastChangeAt,
            ConsecutiveFailures = 0,
            LastError = null,
            CooldownUntil = null,

            // A new port goes to the client at once, not at the next cycle.
            NextClientCheckAt = changed ? now : state.NextClientCheckAt,
            ClientFailures = changed ? 0 : state.ClientFailures,

            // After the lease lapsed (tunnel down, recovery) the client's socket may be dead with the right number.
            RebindPending = state.RebindPending || (lapsed && state.ClientPort is not null && !changed),
            OutOfSyncSince = state.ClientPort == port ? null : state.OutOfSyncSince ?? now,
        };
    }

    /// <summary>The state after a failed renewal: count it and retry soon.</summary>
    public static SyncState AfterRenewalFailure(SyncState state, string error, DateTimeOffset now, SyncSettings settings)
    {
        var lapsed = state.LeaseExpiresAt is { } end && end <= now;
        return state with
        {
            ConsecutiveFailures = state.ConsecutiveFailures + 1,
            LastError = error,
            NextRenewAt = NotSoonerThanMinimum(now, now + settings.FailureRetryDelay),
            MappedPort = lapsed ? null : state.MappedPort,
            LeaseExpiresAt = lapsed ? null : state.LeaseExpiresAt,
        };
    }

    /// <summary>True when enough renewals failed in a row that the recovery action should run.</summary>
    public static bool ShouldRecover(SyncState state, SyncSettings settings) => state.ConsecutiveFailures >= settings.MaxFailures;

    /// <summary>Recoveries within the last hour, and whether one more is allowed.</summary>
    public static bool RecoveryAllowed(SyncState state, DateTimeOffset now, SyncSettings settings)
        => RecentRecoveries(state, now).Length < settings.MaxRecoveriesPerHour;

    public static System.Collections.Immutable.ImmutableArray<DateTimeOffset> RecentRecoveries(SyncState state, DateTimeOffset now)
        => state.Recoveries.RemoveAll(t => now - t >= SyncSettings.RecoveryWindow);

    /// <summary>The state after the recovery action ran: forget the port, wait the cooldown, rebind the client later.</summary>
    public static SyncState AfterRecovery(SyncState state, DateTimeOffset now, SyncSettings settings) => state with
    {
        Recoveries = RecentRecoveries(state, now).Add(now),
        MappedPort = null,
        LeaseExpiresAt = null,
        ConsecutiveFailures = 0,
        CooldownUntil = now + settings.RecoveryCooldown,
        NextRenewAt = NotSoonerThanMinimum(now, now + settings.RecoveryCooldown),
        RebindPending = state.ClientPort is not null,
    };

    /// <summary>The state when a recovery is due but the hourly cap forbids it: keep trying at the renew interval.</summary>
    public static SyncState AfterRecoveryRefused(SyncState state, DateTimeOffset now, SyncSettings settings) => state with
    {
        Recoveries = RecentRecoveries(state, now),
        ConsecutiveFailures = 0,
        NextRenewAt = NotSoonerThanMinimum(now, now + settings.RenewInterval),
    };

    /// <summary>The least time a client call gets, even when a renewal is due sooner.</summary>
    public static readonly TimeSpan MinimumClientBudget = TimeSpan.FromSeconds(3);

    /// <summary>How long the client may take this cycle: until the next renewal is due, but at least a few seconds.</summary>
    public static TimeSpan ClientBudget(SyncState state, DateTimeOffset now)
    {
        var untilRenewal = state.NextRenewAt - now;
        return untilRenewal > MinimumClientBudget ? untilRenewal : MinimumClientBudget;
    }

    public static bool IsClientCheckDue(SyncState state, DateTimeOffset now) => state.MappedPort is not null && now >= state.NextClientCheckAt;

    /// <summary>True when the client's port differs from the mapped one: gateway change, restart, hand edit, random port.</summary>
    public static bool IsDrifted(SyncState state, int clientPort) => state.MappedPort is { } p && clientPort != p;

    /// <summary>The state after the client was read (and, if needed, set) successfully.</summary>
    public static SyncState AfterClientSynced(SyncState state, int clientPort, DateTimeOffset now, SyncSettings settings) => state with
    {
        ClientPort = clientPort,
        ClientFailures = 0,
        RebindPending = false,
        NextClientCheckAt = now + settings.RenewInterval,
        OutOfSyncSince = state.MappedPort == clientPort ? null : state.OutOfSyncSince ?? now,
    };

    /// <summary>
    /// The state after a client call failed: retry with exponential backoff (1 s doubling, capped at the renew
    /// interval and one minute), or not before the adapter's own time (bad password, ban).
    /// </summary>
    public static SyncState AfterClientFailure(SyncState state, DateTimeOffset now, DateTimeOffset? retryNotBefore, SyncSettings settings)
    {
        var failures = state.ClientFailures + 1;
        var retryAt = now + ClientBackoff(failures, settings);
        if (retryNotBefore is { } notBefore && notBefore > retryAt)
        {
            retryAt = notBefore;
        }

        // A client that cannot be read is not known to listen anywhere: health and in_sync must not go on
        // trusting the last port it reported.
        return state with
        {
            ClientPort = null,
            ClientFailures = failures,
            NextClientCheckAt = retryAt,
            OutOfSyncSince = state.OutOfSyncSince ?? now,
        };
    }

    public static TimeSpan ClientBackoff(int failures, SyncSettings settings)
    {
        var cap = settings.RenewInterval < SyncSettings.MaxClientBackoff ? settings.RenewInterval : SyncSettings.MaxClientBackoff;
        var exponent = Math.Clamp(failures - 1, 0, 20);
        var backoff = TimeSpan.FromSeconds(Math.Pow(2, exponent));
        return backoff < cap ? backoff : cap;
    }

    /// <summary>When the loop must wake next: the earliest due renewal, client check or cooldown end, and at least every MaxSleep.</summary>
    public static DateTimeOffset NextWake(SyncState state, DateTimeOffset now, SyncSettings settings)
    {
        var wake = now + settings.MaxSleep;
        var renew = state.CooldownUntil is { } c && c > state.NextRenewAt ? c : state.NextRenewAt;
        if (renew < wake)
        {
            wake = renew;
        }

        if (state.MappedPort is not null && state.NextClientCheckAt < wake)
        {
            wake = state.NextClientCheckAt;
        }

        return wake < now ? now : wake;
    }
}
