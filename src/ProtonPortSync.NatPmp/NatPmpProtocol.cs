namespace ProtonPortSync.NatPmp;

/// <summary>The transport protocol of a mapping; the values are the map opcodes of RFC 6886 §3.3.</summary>
public enum NatPmpProtocol : byte
{
    Udp = NatPmpOpcode.MapUdp,
    Tcp = NatPmpOpcode.MapTcp,
}
