namespace ProtonPortSync.Observability;

/// <summary>
/// Every metric name and label the daemon exports, in one place. The first six are the original daemon's names:
/// existing dashboards and alerts (deploy/grafana, deploy/prometheus) depend on them, so they never change.
/// </summary>
internal static class MetricNames
{
    public const string Prefix = "proton_port_sync_";

    // The original daemon's six.
    public const string CurrentPort = Prefix + "current_port";
    public const string PortChanges = Prefix + "port_changes_total";
    public const string LastChangeTimestamp = Prefix + "last_change_timestamp_seconds";
    public const string Renewals = Prefix + "renewals_total";
    public const string Failures = Prefix + "failures_total";
    public const string WgRestarts = Prefix + "wg_restarts_total";

    // The original documents its change time without the unit suffix; exported too, so its dashboards and alerts work.
    public const string LastChangeTimestampOriginal = Prefix + "last_change_timestamp";

    // Staleness: what an operator alerts on.
    public const string ClientPort = Prefix + "client_port";
    public const string InSync = Prefix + "in_sync";
    public const string LeaseExpiryTimestamp = Prefix + "lease_expiry_timestamp_seconds";
    public const string LastRenewalTimestamp = Prefix + "last_renewal_timestamp_seconds";
    public const string NatPmpReplies = Prefix + "natpmp_replies_total";
    public const string EpochResets = Prefix + "epoch_resets_total";
    public const string ProtocolMismatches = Prefix + "protocol_mismatches_total";
    public const string ClientUpdates = Prefix + "client_updates_total";
    public const string ClientLoginFailures = Prefix + "client_login_failures_total";
    public const string BuildInfo = Prefix + "build_info";
    public const string InvalidGrants = Prefix + "invalid_grants_total";

    // Port files and hooks, one series per sink (label: "file:/run/port", "hook:1").
    public const string SinkUpdates = Prefix + "sink_updates_total";
    public const string SinkFailures = Prefix + "sink_failures_total";
    public const string SinkPort = Prefix + "sink_port";
    public const string SinkInSync = Prefix + "sink_in_sync";

    public const string ResultLabel = "result";
    public const string OutcomeLabel = "outcome";
    public const string ReasonLabel = "reason";
    public const string VersionLabel = "version";
    public const string SinkLabel = "sink";
}
