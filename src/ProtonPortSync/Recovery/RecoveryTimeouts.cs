namespace ProtonPortSync.Recovery;

/// <summary>
/// How long a recovery may run when systemd's watchdog is on. The loop pings only between its steps, and one step
/// may hold a failed renewal (up to the request timeout) followed by the recovery; the step before it slept up to
/// one ping interval (half of WatchdogSec). Keeping renewal + recovery under one ping interval keeps every gap
/// between pings under WatchdogSec, so systemd never kills a daemon that is merely recovering.
/// </summary>
internal static class RecoveryTimeouts
{
    /// <summary>Room left for the ping itself and scheduling jitter.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    /// <summary>The requested timeout, capped to (ping interval − request timeout − margin), and never below one second.</summary>
    public static TimeSpan UnderWatchdog(TimeSpan requested, TimeSpan requestTimeout, TimeSpan? watchdogPingInterval)
    {
        if (watchdogPingInterval is not { } ping)
        {
            return requested;
        }

        var room = ping - requestTimeout - Margin;
        var capped = requested < room ? requested : room;
        return capped < Minimum ? Minimum : capped;
    }
}
