using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Observability;

/// <summary>The loop's last reported state and when it reported it, as one value (swapped atomically).</summary>
internal sealed record SyncSnapshot(SyncState State, DateTimeOffset HeartbeatAt);

/// <summary>
/// Keeps the last <see cref="SyncState"/> the loop reported through <see cref="ISyncObserver.Heartbeat"/>, for
/// /healthz and /status. Written by the loop, read by request threads: one immutable snapshot behind a volatile
/// reference, no locks.
/// </summary>
internal sealed class StatusHolder : ISyncObserver
{
    private volatile SyncSnapshot? _snapshot;

    /// <summary>Null until the loop's first iteration ended.</summary>
    public SyncSnapshot? Snapshot => _snapshot;

    /// <summary>Every sink's status for /status, given the last snapshot; set by the composition root.</summary>
    public Func<SyncSnapshot?, IReadOnlyList<SinkStatus>> Sinks { get; init; } = _ => [];

    public void Heartbeat(SyncState state, DateTimeOffset now) => _snapshot = new SyncSnapshot(state, now);
}
