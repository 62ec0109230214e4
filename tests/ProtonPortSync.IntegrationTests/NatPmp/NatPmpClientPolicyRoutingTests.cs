using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>
/// The reason the socket is bound: under split-tunnel policy routing an unbound socket leaves through the LAN and
/// never hears back; bound to the tunnel's address, or to its device, it does.
/// </summary>
public sealed class NatPmpClientPolicyRoutingTests : IDisposable
{
    private readonly GatewayTopology _topology = GatewayTopology.Create(ClientRouting.Policy);

    public void Dispose() => _topology.Dispose();

    [Fact]
    public async Task GetPublicAddressAsync_UnboundSocket_TimesOutAndGatewaySeesNothing()
    {
        using var client = MiniUpnpdClients.Open(_topology, localAddress: null);
        var timeout = TimeSpan.FromSeconds(1);

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => client.GetPublicAddressAsync(timeout, CancellationToken.None));

        Assert.Equal(NatPmpFailure.Timeout, ex.Failure);
        Assert.DoesNotContain("NAT-PMP request received", _topology.GatewayOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_BoundToTunnelAddress_Succeeds()
    {
        using var client = MiniUpnpdClients.Open(_topology, GatewayTopology.TunnelAddress);

        var mapping = await client.MapAsync(NatPmpProtocol.Udp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal((ushort)45000, mapping.ExternalPort);
        Assert.Equal(GatewayTopology.TunnelAddress, Assert.Single(_topology.ReadLeases()).InternalAddress);
    }

    [Fact]
    public async Task MapAsync_BoundViaInterfaceName_Succeeds()
    {
        // NetworkInterface enumeration in this process sees the root namespace, so read wg0's address in the client's.
        var address = _topology.ReadClientAddress(GatewayTopology.TunnelInterfaceName);
        using var client = MiniUpnpdClients.Open(_topology, address, GatewayTopology.TunnelInterfaceName);

        var mapping = await client.MapAsync(NatPmpProtocol.Tcp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal(GatewayTopology.TunnelAddress, address);
        Assert.Equal((ushort)45000, mapping.ExternalPort);
        Assert.Single(_topology.ReadLeases());
    }

    [Fact]
    public void Open_BoundToAddressNotOnHost_ThrowsNetworkFailureNamingTheAddress()
    {
        var ex = Assert.Throws<NatPmpException>(() => MiniUpnpdClients.Open(_topology, System.Net.IPAddress.Parse("10.2.0.99")));

        Assert.Equal(NatPmpFailure.Network, ex.Failure);
        Assert.Contains("10.2.0.99", ex.Message, StringComparison.Ordinal);
    }
}
