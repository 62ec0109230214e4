using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>A port rotation as ProtonVPN does it: the gateway loses its state and another client takes our port first.</summary>
internal static class GatewayRotation
{
    public static async Task RotateAsync(GatewayTopology topology, int port)
    {
        topology.RestartGateway(cleanState: true);
        using var squatter = new NatPmpClient(UdpNatPmpTransport.Open(GatewayTopology.GatewayEndPoint, GatewayTopology.TunnelAddress, socketFactory: topology.CreateClientUdpSocket), GatewayTopology.GatewayEndPoint, TimeProvider.System);
        foreach (var p in (NatPmpProtocol[])[NatPmpProtocol.Udp, NatPmpProtocol.Tcp])
        {
            var taken = await squatter.MapAsync(p, (ushort)(port + 500), (ushort)port, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2), default);
            Assert.Equal(port, taken.ExternalPort);
        }
    }
}
