namespace ProtonPortSync.NatPmp;

/// <summary>Request opcodes of RFC 6886 §3.2 and §3.3. A response carries the opcode plus 128.</summary>
public enum NatPmpOpcode : byte
{
    /// <summary>Determine the gateway's external address (§3.2).</summary>
    PublicAddress = 0,

    /// <summary>Create, renew or delete a UDP mapping (§3.3).</summary>
    MapUdp = 1,

    /// <summary>Create, renew or delete a TCP mapping (§3.3).</summary>
    MapTcp = 2,
}
