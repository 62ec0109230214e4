using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>Under wg-quick's full-tunnel rules binding is not needed, but must not hurt.</summary>
public sealed class NatPmpClientFullTunnelTests : IDisposable
{
    private readonly GatewayTopology _topology = GatewayTopology.Create(ClientRouting.FullTunnel);

    public void Dispose() => _topology.Dispose();

    [Fact]
    public async Task GetPublicAddressAsync_UnboundOrBound_BothSucceed()
    {
        using var unbound = MiniUpnpdClients.Open(_topology, localAddress: null);
        using var bound = MiniUpnpdClients.OpenBound(_topology);

        var viaUnbound = await unbound.GetPublicAddressAsync(MiniUpnpdClients.Timeout, CancellationToken.None);
        var viaBound = await bound.GetPublicAddressAsync(MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal(GatewayTopology.ExternalAddress, viaUnbound.Address);
        Assert.Equal(GatewayTopology.ExternalAddress, viaBound.Address);
    }
}
