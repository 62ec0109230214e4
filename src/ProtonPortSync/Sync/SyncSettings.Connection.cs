namespace ProtonPortSync.Sync;

/// <summary>When a client that says it is disconnected gets its listener rebound.</summary>
internal sealed partial record SyncSettings
{
    public const int DefaultDisconnectedChecksBeforeRebind = 3;
    public const int DefaultMaxConnectionRebindsPerHour = 3;

    /// <summary>
    /// Client checks in a row (one per renew interval) that must find the client in sync but disconnected before its
    /// listener is rebound: one reading can be a moment of a listener being replaced.
    /// </summary>
    public int DisconnectedChecksBeforeRebind { get; init; } = DefaultDisconnectedChecksBeforeRebind;

    /// <summary>
    /// The most such rebinds within <see cref="RecoveryWindow"/>: a client that stays disconnected after a rebind has
    /// another problem (no network at all, bound to a missing interface), and rebinding every few cycles would only
    /// reset its connections.
    /// </summary>
    public int MaxConnectionRebindsPerHour { get; init; } = DefaultMaxConnectionRebindsPerHour;
}
