using System.Reflection;
using Prometheus;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Observability;

/// <summary>
/// The daemon's Prometheus metrics, fed by the sync loop's events. A registry of its own (no process-wide default
/// collectors), exported in the text format by prometheus-net. Gauges follow the state the loop reports in each
/// heartbeat; counters count events.
/// </summary>
internal sealed partial class SyncMetrics : ISyncObserver
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Gauge _currentPort;
    private readonly Counter _portChanges;
    private readonly Gauge _lastChange;
    private readonly Counter _renewals;
    private readonly Counter _failures;
    private readonly Counter _wgRestarts;
    private readonly Gauge _clientPort;
    private readonly Gauge _inSync;
    private readonly Gauge _leaseExpiry;
    private readonly Gauge _lastRenewal;
    private readonly Counter _replies;
    private readonly Counter _epochResets;
    private readonly Counter _mismatches;
    private readonly Counter _clientUpdates;
    private readonly Counter _loginFailures;

    public SyncMetrics(string? version = null)
    {
        var f = Metrics.WithCustomRegistry(_registry);
        _currentPort = f.CreateGauge(MetricNames.CurrentPort, "External port the gateway forwards now (0 when there is no live mapping).");
        _portChanges = f.CreateCounter(MetricNames.PortChanges, "Times the forwarded port changed, the first mapping included.");
        _lastChange = f.CreateGauge(MetricNames.LastChangeTimestamp, "Unix time of the last change of the forwarded port (0 before the first mapping).");
        _renewals = f.CreateCounter(MetricNames.Renewals, "Successful renewals (UDP and TCP mapping granted).");
        _failures = f.CreateCounter(MetricNames.Failures, "Failed renewals (no reply, refused, or an error result code).");
        _wgRestarts = f.CreateCounter(MetricNames.WgRestarts, "Times the recovery action (restart of the WireGuard tunnel) ran.");
        _clientPort = f.CreateGauge(MetricNames.ClientPort, "Port the torrent client reported it listens on (0 before the first read).");
        _inSync = f.CreateGauge(MetricNames.InSync, "1 when the client listens on the forwarded port of a live mapping, else 0.");
        _leaseExpiry = f.CreateGauge(MetricNames.LeaseExpiryTimestamp, "Unix time at which the current lease lapses unless renewed (last known value; 0 before the first mapping).");
        _lastRenewal = f.CreateGauge(MetricNames.LastRenewalTimestamp, "Unix time of the last successful renewal (0 before the first).");
        _replies = f.CreateCounter(MetricNames.NatPmpReplies, "NAT-PMP mapping replies by RFC 6886 result code.", MetricNames.ResultLabel);
        _epochResets = f.CreateCounter(MetricNames.EpochResets, "Times the gateway's epoch showed it lost its mappings (RFC 6886 section 3.6).");
        _mismatches = f.CreateCounter(MetricNames.ProtocolMismatches, "Renewals where the gateway granted different UDP and TCP ports.");
        _clientUpdates = f.CreateCounter(MetricNames.ClientUpdates, "Attempts to set the torrent client's port, by outcome.", MetricNames.OutcomeLabel);
        _loginFailures = f.CreateCounter(MetricNames.ClientLoginFailures, "Torrent client logins refused, by reason.", MetricNames.ReasonLabel);
        _sinkUpdates = f.CreateCounter(MetricNames.SinkUpdates, "Attempts to bring a port file or hook to the forwarded port, by sink and outcome.", MetricNames.SinkLabel, MetricNames.OutcomeLabel);
        _sinkPort = f.CreateGauge(MetricNames.SinkPort, "Port a port file or hook last took successfully (0 before the first).", MetricNames.SinkLabel);
        _sinkInSync = f.CreateGauge(MetricNames.SinkInSync, "1 when the sink's last attempt succeeded, else 0.", MetricNames.SinkLabel);
        var buildInfo = f.CreateGauge(MetricNames.BuildInfo, "Always 1; the version label names the running build.", MetricNames.VersionLabel);
        buildInfo.WithLabels(version ?? DefaultVersion()).Set(1);

        // Every label value starts at 0, so rate() and increase() see the first event and dashboards show the series.
        foreach (var code in MetricLabels.ResultCodes)
        {
            _replies.WithLabels(MetricLabels.Result(code));
        }

        foreach (var outcome in MetricLabels.Outcomes)
        {
            _clientUpdates.WithLabels(MetricLabels.Outcome(outcome));
        }

        foreach (var reason in MetricLabels.LoginFailures)
        {
            _loginFailures.WithLabels(MetricLabels.LoginFailure(reason));
        }
    }

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public Task ExportAsync(Stream destination, CancellationToken cancellationToken)
        => _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    /// <summary>The counters, for /status.</summary>
    public SyncCounters Counters() => new(
        Renewals: (long)_renewals.Value,
        Failures: (long)_failures.Value,
        PortChanges: (long)_portChanges.Value,
        WgRestarts: (long)_wgRestarts.Value,
        EpochResets: (long)_epochResets.Value,
        ProtocolMismatches: (long)_mismatches.Value,
        ClientUpdates: MetricLabels.Outcomes.Sum(o => (long)_clientUpdates.WithLabels(MetricLabels.Outcome(o)).Value),
        ClientUpdateFailures: MetricLabels.Outcomes.Where(o => o != ClientUpdateOutcome.Success).Sum(o => (long)_clientUpdates.WithLabels(MetricLabels.Outcome(o)).Value),
        ClientLoginFailures: MetricLabels.LoginFailures.Sum(r => (long)_loginFailures.WithLabels(MetricLabels.LoginFailure(r)).Value));

    public void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp)
    {
        _renewals.Inc();

        // One renewal is two replies, UDP's and TCP's.
        _replies.WithLabels(MetricLabels.Result(NatPmpResultCode.Success)).Inc(2);
    }

    public void RenewalFailed(NatPmpException error)
    {
        _failures.Inc();
        if (error.Failure == NatPmpFailure.ResultCode && error.ResultCode is { } code)
        {
            _replies.WithLabels(MetricLabels.Result(code)).Inc();
        }
    }

    public void PortChanged(int? previousPort, int port)
    {
        _portChanges.Inc();
        _currentPort.Set(port);
    }

    public void GatewayReset() => _epochResets.Inc();

    public void ProtocolMismatch(int udpPort, int tcpPort) => _mismatches.Inc();

    public void ClientPortRead(int port) => _clientPort.Set(port);

    public void ClientUpdated(ClientUpdateOutcome outcome) => _clientUpdates.WithLabels(MetricLabels.Outcome(outcome)).Inc();

    public void ClientLoginFailed(TorrentClientFailure reason) => _loginFailures.WithLabels(MetricLabels.LoginFailure(reason)).Inc();

    public void RecoveryRan(bool succeeded) => _wgRestarts.Inc();

    public void Heartbeat(SyncState state, DateTimeOffset now)
    {
        _currentPort.Set(state.MappedPort ?? 0);
        _inSync.Set(state.InSync ? 1 : 0);
        if (state.ClientPort is { } client)
        {
            _clientPort.Set(client);
        }

        // Timestamps keep their last known value: a lapsed lease must stay visibly in the past for the alert.
        SetTimestamp(_leaseExpiry, state.LeaseExpiresAt);
        SetTimestamp(_lastRenewal, state.LastRenewalAt);
        SetTimestamp(_lastChange, state.LastChangeAt);
    }

    private static void SetTimestamp(Gauge gauge, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            gauge.Set(t.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static string DefaultVersion()
    {
        var version = typeof(SyncMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

/// <summary>The counters as plain numbers, for /status.</summary>
internal sealed record SyncCounters(
    long Renewals,
    long Failures,
    long PortChanges,
    long WgRestarts,
    long EpochResets,
    long ProtocolMismatches,
    long ClientUpdates,
    long ClientUpdateFailures,
    long ClientLoginFailures);
