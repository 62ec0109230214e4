using System.Globalization;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Hosting;

/// <summary>
/// Tells systemd how the daemon stands: READY=1 once the first cycle ends, STATUS= with the port, and WATCHDOG=1 on
/// every loop heartbeat — so the pings stop, and systemd restarts the daemon, when the loop is stuck.
/// </summary>
internal sealed class SystemdNotifyObserver(SystemdNotifier notifier) : ISyncObserver
{
    private StatusKey? _lastKey;

    // Null until the first heartbeat, which sends READY=1.
    private string? _lastStatus;

    /// <summary>How often the loop must wake for the pings to keep up: the notifier's watchdog interval, if any.</summary>
    public TimeSpan? WatchdogInterval => notifier.WatchdogInterval;

    public void Heartbeat(SyncState state, DateTimeOffset now)
    {
        // The status line is formatted only when something it shows may have changed: most heartbeats only ping.
        var key = new StatusKey(state.MappedPort, state.ClientPort, state.CooldownUntil is not null, state.ConsecutiveFailures);
        if (key != _lastKey)
        {
            _lastKey = key;
            var status = Describe(state);
            if (_lastStatus is null)
            {
                notifier.Ready(status);
            }
            else if (status != _lastStatus)
            {
                notifier.Status(status);
            }

            _lastStatus = status;
        }

        if (notifier.WatchdogInterval is not null)
        {
            notifier.Watchdog();
        }
    }

    public static string Describe(SyncState state) => state switch
    {
        { MappedPort: { } p, InSync: true } => string.Create(CultureInfo.InvariantCulture, $"Forwarded port {p}; client in sync"),
        { MappedPort: { } p, ClientPort: { } c } => string.Create(CultureInfo.InvariantCulture, $"Forwarded port {p}; client on {c}, updating"),
        { MappedPort: { } p } => string.Create(CultureInfo.InvariantCulture, $"Forwarded port {p}; client not reached yet"),
        { CooldownUntil: not null } => "Tunnel restarted; waiting before mapping again",
        { ConsecutiveFailures: > 0 } => string.Create(CultureInfo.InvariantCulture, $"No mapping: {state.ConsecutiveFailures} failed renewal(s)"),
        _ => "No mapping yet",
    };

    /// <summary>Everything <see cref="Describe"/> reads (in sync is port = client port): the line changes only when this does.</summary>
    private readonly record struct StatusKey(int? Port, int? ClientPort, bool CoolingDown, int Failures);
}
