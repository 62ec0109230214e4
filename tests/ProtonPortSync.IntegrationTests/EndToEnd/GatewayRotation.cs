using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>A port rotation as ProtonVPN does it: the gateway loses its state and another client takes our port first.</summary>
internal static class GatewayRotation
{
    /// <summary>
    /// Restarts the gateway without state and takes <paramref name="port"/> for another client. The daemon renews
    /// every couple of seconds and may win the race on a loaded machine; then the gateway is restarted again
    /// (bounded: five tries).
    /// </summary>
    public static async Task RotateAsync(GatewayTopology topology, int port)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            topology.RestartGateway(cleanState: true);
            using var squatter = new NatPmpClient(UdpNatPmpTransport.Open(GatewayTopology.GatewayEndPoint, GatewayTopology.TunnelAddress, socketFactory: topology.CreateClientUdpSocket), GatewayTopology.GatewayEndPoint, TimeProvider.System);
            var taken = 0;
            foreach (var p in (NatPmpProtocol[])[NatPmpProtocol.Udp, NatPmpProtocol.Tcp])
            {
                var mapping = await squatter.MapAsync(p, (ushort)(port + 500), (ushort)port, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2), default);
                taken += mapping.ExternalPort == port ? 1 : 0;
            }

            if (taken == 2)
            {
                return;
            }
        }

        Assert.Fail($"the daemon took port {port} back before another client could, five times in a row");
    }
}
