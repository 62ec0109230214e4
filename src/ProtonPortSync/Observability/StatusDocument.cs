using System.Text.Json.Serialization;
using ProtonPortSync.Sinks;

namespace ProtonPortSync.Observability;

/// <summary>What /status answers, for people and scripts. Times are ISO 8601 in UTC; unknown values are null.</summary>
internal sealed record StatusDocument
{
    public required bool Healthy { get; init; }

    public required string Health { get; init; }

    public int? CurrentPort { get; init; }

    public string? PublicAddress { get; init; }

    /// <summary>
    /// "address:port" peers connect to: NAT-PMP's public address and the forwarded port. It can differ from the
    /// WireGuard Endpoint (gluetun #2051), which is only where the tunnel goes; null until both are known.
    /// </summary>
    public string? PeersConnectTo { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    public DateTimeOffset? LastRenewalAt { get; init; }

    public DateTimeOffset? LastChangeAt { get; init; }

    public int? ClientPort { get; init; }

    public bool InSync { get; init; }

    public DateTimeOffset? OutOfSyncSince { get; init; }

    public string? LastError { get; init; }

    public int ConsecutiveFailures { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>What the client says about its own reachability ("connected", "firewalled", "disconnected", "unknown"); null when it reports none.</summary>
    public string? ClientConnectionStatus { get; init; }

    public DateTimeOffset? ClientConnectionSince { get; init; }

    public required SyncCounters Counters { get; init; }

    /// <summary>Every consumer of the port (the client, port files, hooks), each with its own state.</summary>
    public IReadOnlyList<SinkStatus> Sinks { get; init; } = [];

    public static StatusDocument Create(SyncSnapshot? snapshot, HealthReport health, SyncCounters counters)
    {
        var s = snapshot?.State;
        return new StatusDocument
        {
            Healthy = health.Healthy,
            Health = health.Reason,
            CurrentPort = s?.MappedPort,
            PublicAddress = s?.PublicAddress?.ToString(),
            PeersConnectTo = s is { PublicAddress: { } address, MappedPort: { } port } ? $"{address}:{port}" : null,
            LeaseExpiresAt = s?.LeaseExpiresAt,
            LastRenewalAt = s?.LastRenewalAt,
            LastChangeAt = s?.LastChangeAt,
            ClientPort = s?.ClientPort,
            InSync = s?.InSync ?? false,
            OutOfSyncSince = s?.OutOfSyncSince,
            LastError = s?.LastError,
            ConsecutiveFailures = s?.ConsecutiveFailures ?? 0,
            HeartbeatAt = snapshot?.HeartbeatAt,
            ClientConnectionStatus = s?.CurrentClientConnection is { } connection ? TorrentClients.ClientConnectionStatusText.Name(connection) : null,
            ClientConnectionSince = s?.CurrentClientConnection is null ? null : s.ClientConnectionSince,
            Counters = counters,
        };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
