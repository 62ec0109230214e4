using ProtonPortSync.Sync;

namespace ProtonPortSync.Observability;

/// <summary>The thresholds /healthz judges by, taken from the loop's own settings.</summary>
/// <param name="RenewInterval">One cycle: the client may be out of sync this long (a port change in progress) before it is unhealthy.</param>
/// <param name="MaxFailures">Failed renewals in a row at which the gateway counts as failing even while the lease lasts.</param>
/// <param name="StaleAfter">A heartbeat older than this means the loop is stuck.</param>
internal sealed partial record HealthSettings(TimeSpan RenewInterval, int MaxFailures, TimeSpan StaleAfter)
{
    /// <summary>
    /// The loop beats at least every <see cref="SyncSettings.MaxSleep"/>, plus the time one renewal and one client
    /// call may take; twice that is stuck.
    /// </summary>
    public static HealthSettings From(SyncSettings settings)
        => new(settings.RenewInterval, settings.MaxFailures, (settings.MaxSleep + settings.RequestTimeout + settings.RecoveryCooldown) * 2);
}
