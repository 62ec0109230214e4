using System.Net;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>Opens our NAT-PMP client inside a topology's client namespace, on the real clock.</summary>
internal static class MiniUpnpdClients
{
    /// <summary>Ample for one exchange with miniupnpd (≈1 ms) on a loaded machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>A client whose socket is bound to <paramref name="localAddress"/> (null = unbound) and optionally tied to a device.</summary>
    public static NatPmpClient Open(GatewayTopology topology, IPAddress? localAddress, string? interfaceName = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var transport = UdpNatPmpTransport.Open(GatewayTopology.GatewayEndPoint, localAddress, interfaceName, topology.CreateClientUdpSocket);
        return new NatPmpClient(transport, GatewayTopology.GatewayEndPoint, TimeProvider.System);
    }

    /// <summary>A client bound to the tunnel address, as the daemon runs by default.</summary>
    public static NatPmpClient OpenBound(GatewayTopology topology) => Open(topology, GatewayTopology.TunnelAddress);
}
