namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>The metric names the daemon exports; alerts and the dashboard may use only these.</summary>
internal static class KnownMetrics
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "proton_port_sync_current_port",
        "proton_port_sync_port_changes_total",
        "proton_port_sync_last_change_timestamp_seconds",
        "proton_port_sync_renewals_total",
        "proton_port_sync_failures_total",
        "proton_port_sync_wg_restarts_total",
        "proton_port_sync_client_port",
        "proton_port_sync_in_sync",
        "proton_port_sync_lease_expiry_timestamp_seconds",
        "proton_port_sync_last_renewal_timestamp_seconds",
        "proton_port_sync_natpmp_replies_total",
        "proton_port_sync_epoch_resets_total",
        "proton_port_sync_protocol_mismatches_total",
        "proton_port_sync_client_updates_total",
        "proton_port_sync_client_login_failures_total",
        "proton_port_sync_build_info",
    };

    /// <summary>Every proton_port_sync_* identifier in a PromQL expression or a file of them.</summary>
    public static IReadOnlyList<string> Referenced(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, "proton_port_sync_[a-z_]+")
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
