using System.Net;

namespace ProtonPortSync.NatPmp;

/// <summary>The gateway's external address (§3.2).</summary>
public sealed record NatPmpPublicAddress(IPAddress Address, uint SecondsSinceEpoch, DateTimeOffset ReceivedAt, bool GatewayReset);
