using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>Our client against miniupnpd under split-tunnel policy routing, socket bound to 10.2.0.2.</summary>
public sealed class NatPmpClientMiniUpnpdTests : IDisposable
{
    private readonly MiniUpnpdSession _session = new(ClientRouting.Policy);

    private GatewayTopology Topology => _session.Topology;

    private NatPmpClient Client => _session.Client;

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task GetPublicAddressAsync_Bound_ReturnsGatewayExternalAddress()
    {
        var reply = await Client.GetPublicAddressAsync(MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal(GatewayTopology.ExternalAddress, reply.Address);
        Assert.False(reply.GatewayReset);
        Assert.InRange(reply.SecondsSinceEpoch, 0u, 10u);
    }

    [Theory]
    [InlineData(NatPmpProtocol.Udp)]
    [InlineData(NatPmpProtocol.Tcp)]
    public async Task MapAsync_SuggestedPortFree_GrantsSuggestedPortAndRecordsLease(NatPmpProtocol protocol)
    {
        var mapping = await Client.MapAsync(protocol, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal(new NatPmpMapping(protocol, 40000, 45000, MiniUpnpdClients.Lifetime, mapping.SecondsSinceEpoch, mapping.ReceivedAt, false) { RequestedLifetime = MiniUpnpdClients.Lifetime }, mapping);
        var lease = Assert.Single(Topology.ReadLeases());
        Assert.Equal((protocol, (ushort)45000, GatewayTopology.TunnelAddress, (ushort)40000), (lease.Protocol, lease.ExternalPort, lease.InternalAddress, lease.InternalPort));
    }

    [Fact]
    public async Task MapAsync_SuggestedPortTaken_GrantsAnotherPort()
    {
        var first = await Client.MapAsync(NatPmpProtocol.Udp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);
        var second = await Client.MapAsync(NatPmpProtocol.Udp, 40001, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal((ushort)45000, first.ExternalPort);
        Assert.NotEqual((ushort)45000, second.ExternalPort);
        Assert.NotEqual((ushort)0, second.ExternalPort);
        Assert.Equal(
            [(ushort)45000, second.ExternalPort],
            Topology.ReadLeases().Select(l => l.ExternalPort).Order());
    }

    [Fact]
    public async Task MapAsync_SameRequestAgain_RefreshesSamePortWithoutReset()
    {
        var first = await Client.MapAsync(NatPmpProtocol.Tcp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);
        var renewed = await Client.MapAsync(NatPmpProtocol.Tcp, 40000, first.ExternalPort, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal(first.ExternalPort, renewed.ExternalPort);
        Assert.Equal(MiniUpnpdClients.Lifetime, renewed.Lifetime);
        Assert.False(renewed.GatewayReset);
        Assert.True(renewed.SecondsSinceEpoch >= first.SecondsSinceEpoch, $"epoch went from {first.SecondsSinceEpoch} to {renewed.SecondsSinceEpoch}");
        Assert.Equal(first.ExternalPort, Assert.Single(Topology.ReadLeases()).ExternalPort);
    }

    [Fact]
    public async Task DeleteAsync_ExistingMapping_RepliesZeroAndEmptiesLeases()
    {
        await Client.MapAsync(NatPmpProtocol.Udp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);
        Assert.Single(Topology.ReadLeases());

        var deleted = await Client.DeleteAsync(NatPmpProtocol.Udp, 40000, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal((ushort)40000, deleted.InternalPort);
        Assert.Equal((ushort)0, deleted.ExternalPort);
        Assert.Equal(TimeSpan.Zero, deleted.Lifetime);
        Assert.Empty(Topology.ReadLeases());
    }

    [Fact]
    public async Task MapAsync_InternalPortZero_ThrowsNotAuthorizedOrRefused()
    {
        var ex = await Assert.ThrowsAsync<NatPmpException>(() =>
            Client.MapAsync(NatPmpProtocol.Udp, 0, 1, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None));

        Assert.Equal(NatPmpFailure.ResultCode, ex.Failure);
        Assert.Equal(NatPmpResultCode.NotAuthorizedOrRefused, ex.ResultCode);
        Assert.Equal(NatPmpOpcode.MapUdp, ex.Opcode);
        Assert.Contains("Not Authorized", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Topology.ReadLeases());
    }
}
