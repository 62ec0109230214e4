using System.Collections.Immutable;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Sync;

/// <summary>The client's own view of reachability, for clients that report one (<see cref="IConnectionStatusSource"/>).</summary>
internal sealed partial record SyncState
{
    /// <summary>What the client last said about its reachability; null when it does not report one or was not asked yet.</summary>
    public ClientConnectionStatus? ClientConnection { get; init; }

    /// <summary>Since when the client has reported <see cref="ClientConnection"/> without a break.</summary>
    public DateTimeOffset? ClientConnectionSince { get; init; }

    /// <summary>
    /// <see cref="ClientConnection"/> while it is current: null once the client could not be read (the failure clears
    /// <see cref="ClientPort"/>), so metrics and /status never go on showing what a client that is down last said.
    /// </summary>
    public ClientConnectionStatus? CurrentClientConnection => ClientPort is null ? null : ClientConnection;

    /// <summary>Client checks in a row, while in sync, at which the client said it is disconnected.</summary>
    public int DisconnectedChecks { get; init; }

    /// <summary>When rebinds were forced because the client stayed disconnected, within the last hour.</summary>
    public ImmutableArray<DateTimeOffset> ConnectionRebinds { get; init; } = [];
}
