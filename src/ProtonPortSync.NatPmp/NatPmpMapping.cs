namespace ProtonPortSync.NatPmp;

/// <summary>
/// A mapping the gateway granted (§3.3): an immutable value that knows when it should be renewed and when it
/// lapses.
/// </summary>
/// <param name="Protocol">UDP or TCP.</param>
/// <param name="InternalPort">The internal port the gateway echoed (the one we asked for).</param>
/// <param name="ExternalPort">The port the gateway forwards to us. 0 in the reply to a delete.</param>
/// <param name="Lifetime">The lifetime the gateway granted, which may differ from the one requested.</param>
/// <param name="SecondsSinceEpoch">The gateway's seconds since start of epoch in the reply (§3.6).</param>
/// <param name="ReceivedAt">Local time at which the reply arrived.</param>
/// <param name="GatewayReset">True when the epoch shows that the gateway lost its state since our last reply (§3.6).</param>
public sealed record NatPmpMapping(
    NatPmpProtocol Protocol,
    ushort InternalPort,
    ushort ExternalPort,
    TimeSpan Lifetime,
    uint SecondsSinceEpoch,
    DateTimeOffset ReceivedAt,
    bool GatewayReset)
{
    /// <summary>When the gateway drops the mapping unless we renew it.</summary>
    public DateTimeOffset ExpiresAt => ReceivedAt + Lifetime;

    /// <summary>The lifetime that was asked for; null when unknown (a mapping built by hand).</summary>
    public TimeSpan? RequestedLifetime { get; init; }

    /// <summary>
    /// The lifetime a schedule may rely on: the granted one, but never more than was asked. A longer grant is
    /// legitimate (miniupnpd raises short requests to its minimum, ProtonVPN always grants 60 s), yet a peer that
    /// claims hours must not stretch the renewals past what the operator configured.
    /// </summary>
    public TimeSpan UsableLifetime => RequestedLifetime is { } asked && asked < Lifetime ? asked : Lifetime;
}
