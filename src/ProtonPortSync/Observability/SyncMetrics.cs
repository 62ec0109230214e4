using System.Buffers;
using System.Reflection;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Observability;

/// <summary>
/// The daemon's Prometheus metrics, fed by the sync loop's events: a fixed set of families, written in the text
/// format by <see cref="PrometheusText"/>. Gauges follow the state the loop reports in each heartbeat; counters count
/// events.
/// </summary>
internal sealed partial class SyncMetrics : ISyncObserver
{
    private readonly MetricFamily _currentPort = Gauge(MetricNames.CurrentPort, "External port the gateway forwards now (0 when there is no live mapping).");
    private readonly MetricFamily _portChanges = Counter(MetricNames.PortChanges, "Times the forwarded port changed, the first mapping included.");
    private readonly MetricFamily _lastChange = Gauge(MetricNames.LastChangeTimestamp, "Unix time of the last change of the forwarded port (0 before the first mapping).");
    private readonly MetricFamily _lastChangeOriginal = Gauge(MetricNames.LastChangeTimestampOriginal, "Unix time of the last change of the forwarded port, under the original daemon's name (same value as " + MetricNames.LastChangeTimestamp + ").");
    private readonly MetricFamily _renewals = Counter(MetricNames.Renewals, "Successful renewals (UDP and TCP mapping granted).");
    private readonly MetricFamily _failures = Counter(MetricNames.Failures, "Failed renewals (no reply, refused, or an error result code).");
    private readonly MetricFamily _wgRestarts = Counter(MetricNames.WgRestarts, "Times the recovery action (restart of the WireGuard tunnel) ran.");
    private readonly MetricFamily _clientPort = Gauge(MetricNames.ClientPort, "Port the torrent client reported it listens on (0 before the first read).");
    private readonly MetricFamily _inSync = Gauge(MetricNames.InSync, "1 when the client listens on the forwarded port of a live mapping, else 0.");
    private readonly MetricFamily _leaseExpiry = Gauge(MetricNames.LeaseExpiryTimestamp, "Unix time at which the current lease lapses unless renewed (last known value; 0 before the first mapping).");
    private readonly MetricFamily _lastRenewal = Gauge(MetricNames.LastRenewalTimestamp, "Unix time of the last successful renewal (0 before the first).");

    // Every label value exists from the start at 0, so rate() and increase() see the first event and dashboards show the series.
    private readonly MetricFamily _replies = MetricFamily.Labelled(MetricNames.NatPmpReplies, "NAT-PMP mapping replies by RFC 6886 result code.", MetricType.Counter, MetricNames.ResultLabel, MetricLabels.ResultCodes.Select(MetricLabels.Result));
    private readonly MetricFamily _epochResets = Counter(MetricNames.EpochResets, "Times the gateway's epoch showed it lost its mappings (RFC 6886 section 3.6).");
    private readonly MetricFamily _mismatches = Counter(MetricNames.ProtocolMismatches, "Renewals where the gateway granted different UDP and TCP ports.");
    private readonly MetricFamily _clientUpdates = MetricFamily.Labelled(MetricNames.ClientUpdates, "Attempts to set the torrent client's port, by outcome.", MetricType.Counter, MetricNames.OutcomeLabel, MetricLabels.Outcomes.Select(MetricLabels.Outcome));
    private readonly MetricFamily _loginFailures = MetricFamily.Labelled(MetricNames.ClientLoginFailures, "Torrent client logins refused, by reason.", MetricType.Counter, MetricNames.ReasonLabel, MetricLabels.LoginFailures.Select(MetricLabels.LoginFailure));
    private readonly MetricFamily _invalidGrants = Counter(MetricNames.InvalidGrants, "Success replies that granted no usable mapping (lifetime 0 or external port 0); each is also a failed renewal.");
    private readonly MetricFamily _buildInfo;
    private readonly MetricFamily[] _families;

    /// <param name="version">The build_info label; the assembly's version when null.</param>
    /// <param name="sinks">The names of the port files and hooks, for the series with a <c>sink</c> label.</param>
    public SyncMetrics(string? version = null, IReadOnlyList<string>? sinks = null)
    {
        _buildInfo = MetricFamily.Labelled(MetricNames.BuildInfo, "Always 1; the version label names the running build.", MetricType.Gauge, MetricNames.VersionLabel, [version ?? DefaultVersion()]);
        _buildInfo.Samples[0].Set(1);
        _families =
        [
            _currentPort, _portChanges, _lastChange, _lastChangeOriginal, _renewals, _failures, _wgRestarts, _clientPort, _inSync,
            _leaseExpiry, _lastRenewal, _replies, _epochResets, _mismatches, _clientUpdates, _loginFailures, _invalidGrants, _buildInfo,
            .. SinkFamilies(sinks ?? []),
        ];
    }

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public void Write(IBufferWriter<byte> destination) => PrometheusText.Write(destination, _families);

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public async Task ExportAsync(Stream destination, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(buffer);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The counters, for /status.</summary>
    public SyncCounters Counters() => new(
        Renewals: Count(_renewals),
        Failures: Count(_failures),
        PortChanges: Count(_portChanges),
        WgRestarts: Count(_wgRestarts),
        EpochResets: Count(_epochResets),
        ProtocolMismatches: Count(_mismatches),
        ClientUpdates: _clientUpdates.Samples.Sum(s => (long)s.Value),
        ClientUpdateFailures: _clientUpdates.Samples.Where(s => s.LabelValue != MetricLabels.Outcome(ClientUpdateOutcome.Success)).Sum(s => (long)s.Value),
        ClientLoginFailures: _loginFailures.Samples.Sum(s => (long)s.Value));

    public void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp)
    {
        _renewals.Sample.Add(1);

        // One renewal is two replies, UDP's and TCP's.
        _replies[MetricLabels.Result(NatPmpResultCode.Success)].Add(2);
    }

    public void RenewalFailed(NatPmpException error)
    {
        _failures.Sample.Add(1);
        if (error.Failure == NatPmpFailure.ResultCode && error.ResultCode is { } code)
        {
            _replies[MetricLabels.Result(code)].Add(1);
        }

        if (error.Failure == NatPmpFailure.InvalidGrant)
        {
            _invalidGrants.Sample.Add(1);
        }
    }

    public void PortChanged(int? previousPort, int port)
    {
        _portChanges.Sample.Add(1);
        _currentPort.Sample.Set(port);
    }

    public void GatewayReset() => _epochResets.Sample.Add(1);

    public void ProtocolMismatch(int udpPort, int tcpPort) => _mismatches.Sample.Add(1);

    public void ClientPortRead(int port) => _clientPort.Sample.Set(port);

    public void ClientUpdated(ClientUpdateOutcome outcome) => _clientUpdates[MetricLabels.Outcome(outcome)].Add(1);

    public void ClientLoginFailed(TorrentClientFailure reason) => _loginFailures[MetricLabels.LoginFailure(reason)].Add(1);

    public void RecoveryRan(bool succeeded) => _wgRestarts.Sample.Add(1);

    public void Heartbeat(SyncState state, DateTimeOffset now)
    {
        _currentPort.Sample.Set(state.MappedPort ?? 0);
        _inSync.Sample.Set(state.InSync ? 1 : 0);
        if (state.ClientPort is { } client)
        {
            _clientPort.Sample.Set(client);
        }

        // Timestamps keep their last known value: a lapsed lease must stay visibly in the past for the alert.
        SetTimestamp(_leaseExpiry, state.LeaseExpiresAt);
        SetTimestamp(_lastRenewal, state.LastRenewalAt);
        SetTimestamp(_lastChange, state.LastChangeAt);
        SetTimestamp(_lastChangeOriginal, state.LastChangeAt);
    }

    private static void SetTimestamp(MetricFamily gauge, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            gauge.Sample.Set(t.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static MetricFamily Gauge(string name, string help) => MetricFamily.Single(name, help, MetricType.Gauge);

    private static MetricFamily Counter(string name, string help) => MetricFamily.Single(name, help, MetricType.Counter);

    private static long Count(MetricFamily counter) => (long)counter.Sample.Value;

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
