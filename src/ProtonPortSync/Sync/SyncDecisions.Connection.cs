using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Sync;

/// <summary>What the client's own connection status decides: nothing, or a rebind when it stays disconnected.</summary>
internal static partial class SyncDecisions
{
    /// <summary>
    /// The state after the client reported <paramref name="status"/>. When it has been in sync but disconnected for
    /// <see cref="SyncSettings.DisconnectedChecksBeforeRebind"/> checks in a row, and fewer than
    /// <see cref="SyncSettings.MaxConnectionRebindsPerHour"/> such rebinds ran in the last hour, a rebind is made
    /// pending and the client is checked again at once (the same path as after a tunnel flap).
    /// </summary>
    public static ConnectionVerdict AfterConnectionStatus(SyncState state, ClientConnectionStatus status, DateTimeOffset now, SyncSettings settings)
    {
        var since = state.ClientConnection == status ? state.ClientConnectionSince ?? now : now;
        var disconnected = status == ClientConnectionStatus.Disconnected && state.InSync ? state.DisconnectedChecks + 1 : 0;
        var recent = state.ConnectionRebinds.RemoveAll(t => now - t >= SyncSettings.RecoveryWindow);
        var next = state with { ClientConnection = status, ClientConnectionSince = since, DisconnectedChecks = disconnected, ConnectionRebinds = recent };
        if (disconnected < settings.DisconnectedChecksBeforeRebind)
        {
            return new ConnectionVerdict(next, ConnectionAction.None);
        }

        if (recent.Length >= settings.MaxConnectionRebindsPerHour)
        {
            // Counted from zero again, so the refusal is said once per few cycles rather than every cycle.
            return new ConnectionVerdict(next with { DisconnectedChecks = 0 }, ConnectionAction.RebindCapped);
        }

        return new ConnectionVerdict(
            next with { DisconnectedChecks = 0, ConnectionRebinds = recent.Add(now), RebindPending = true, NextClientCheckAt = now },
            ConnectionAction.Rebind);
    }
}

/// <summary>What the loop does about the client's connection status.</summary>
internal enum ConnectionAction
{
    None,

    /// <summary>Rebind the client's listener: it stayed disconnected while in sync.</summary>
    Rebind,

    /// <summary>A rebind was due, but the hourly cap forbids it.</summary>
    RebindCapped,
}

/// <summary>The state after a connection status, and what to do.</summary>
internal readonly record struct ConnectionVerdict(SyncState State, ConnectionAction Action);
