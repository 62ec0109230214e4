using System.Globalization;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Observability;

/// <summary>The verdict of /healthz: healthy (200) or not (503), with a one-line reason.</summary>
internal sealed record HealthReport(bool Healthy, string Reason);

/// <summary>
/// Whether the daemon is doing its job, as a pure function of the loop's last snapshot and the time: healthy when
/// a mapping is live and the client listens on its port.
/// </summary>
internal static partial class HealthCheck
{
    public static HealthReport Evaluate(SyncSnapshot? snapshot, DateTimeOffset now, HealthSettings settings)
    {
        if (snapshot is null)
        {
            return Unhealthy("starting: the first sync cycle has not finished");
        }

        var (s, beat) = (snapshot.State, snapshot.HeartbeatAt);
        if (now - beat > settings.StaleAfter)
        {
            return Unhealthy($"sync loop stalled: no heartbeat for {Seconds(now - beat)} s");
        }

        var leaseLive = s.MappedPort is not null && s.LeaseExpiresAt is { } end && end > now;
        if (s.ConsecutiveFailures >= settings.MaxFailures || (s.ConsecutiveFailures > 0 && !leaseLive))
        {
            return Unhealthy($"gateway failing: {s.ConsecutiveFailures} renewal(s) failed in a row{LastError(s)}");
        }

        if (!leaseLive)
        {
            return Unhealthy(s.LeaseExpiresAt is null && s.LastRenewalAt is null ? "no mapping yet" : "lease lapsed: no live mapping");
        }

        var port = s.MappedPort!.Value;
        if (s.ClientPort != port)
        {
            var client = s.ClientPort is { } c ? c.ToString(CultureInfo.InvariantCulture) : "unknown";
            if (s.OutOfSyncSince is { } since && now - since > settings.RenewInterval)
            {
                return Unhealthy($"client out of sync for {Seconds(now - since)} s: it listens on {client}, the gateway forwards {port}");
            }

            return new HealthReport(true, $"ok: syncing the client to port {port} (it listens on {client})");
        }

        return new HealthReport(true, string.Create(CultureInfo.InvariantCulture, $"ok: port {port}, lease until {s.LeaseExpiresAt:O}{FirewalledNote(s, now, settings)}"));
    }

    private static HealthReport Unhealthy(string reason) => new(false, reason);

    private static string LastError(SyncState s) => s.LastError is null ? string.Empty : $": {s.LastError}";

    private static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
