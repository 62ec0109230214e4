namespace ProtonPortSync.NatPmp;

/// <summary>How a NAT-PMP exchange failed.</summary>
public enum NatPmpFailure
{
    /// <summary>No valid reply before the deadline: wrong bind address, policy routing, or the gateway is down.</summary>
    Timeout,

    /// <summary>
    /// ICMP port unreachable (ECONNREFUSED): nothing listens on 5351. On ProtonVPN this means port forwarding is
    /// not enabled for this WireGuard key/server (NAT-PMP off in the configuration, or a server without P2P).
    /// </summary>
    ConnectionRefused,

    /// <summary>The gateway answered with a non-zero result code (§3.5).</summary>
    ResultCode,

    /// <summary>The socket could not be opened or used (address not local, network unreachable, …).</summary>
    Network,

    /// <summary>
    /// A success reply to a mapping request that grants nothing: lifetime 0 or external port 0. Taking it as a
    /// mapping would renew in a tight loop (lifetime 0) or give the client port 0.
    /// </summary>
    InvalidGrant,
}
