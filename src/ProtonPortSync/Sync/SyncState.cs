using System.Collections.Immutable;
using System.Net;

namespace ProtonPortSync.Sync;

/// <summary>Everything the loop knows, as one immutable value; decisions are pure functions over it.</summary>
internal sealed partial record SyncState
{
    public static readonly SyncState Initial = new();

    /// <summary>The forwarded port (TCP's when UDP and TCP differ), or null when there is no live mapping.</summary>
    public int? MappedPort { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>When the next renewal is due; MinValue means now.</summary>
    public DateTimeOffset NextRenewAt { get; init; } = DateTimeOffset.MinValue;

    public DateTimeOffset? LastRenewalAt { get; init; }

    public DateTimeOffset? LastChangeAt { get; init; }

    public IPAddress? PublicAddress { get; init; }

    public int ConsecutiveFailures { get; init; }

    public string? LastError { get; init; }

    /// <summary>No renewal before this time: the tunnel is coming back after a recovery.</summary>
    public DateTimeOffset? CooldownUntil { get; init; }

    /// <summary>When recoveries ran, within the last hour.</summary>
    public ImmutableArray<DateTimeOffset> Recoveries { get; init; } = [];

    /// <summary>The port the client last reported, or null before the first successful read and after a failed one.</summary>
    public int? ClientPort { get; init; }

    /// <summary>When the client is next checked (or retried, after a failure).</summary>
    public DateTimeOffset NextClientCheckAt { get; init; } = DateTimeOffset.MinValue;

    public int ClientFailures { get; init; }

    /// <summary>The client must rebind even if its port number is right (the tunnel went away and came back).</summary>
    public bool RebindPending { get; init; }

    /// <summary>Since when the client's port has differed from the mapped one (or could not be read).</summary>
    public DateTimeOffset? OutOfSyncSince { get; init; }

    public bool InSync => MappedPort is { } p && ClientPort == p;
}
