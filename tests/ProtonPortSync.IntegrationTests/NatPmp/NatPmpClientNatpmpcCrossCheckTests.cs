using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>
/// Our client and libnatpmp's natpmpc (an independent implementation) must see the same gateway state. On-link
/// topology, because natpmpc cannot bind its socket.
/// </summary>
public sealed class NatPmpClientNatpmpcCrossCheckTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly MiniUpnpdSession _session = new(ClientRouting.OnLink);

    private GatewayTopology Topology => _session.Topology;

    private NatPmpClient Client => _session.Client;

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task GetPublicAddressAsync_ComparedWithNatpmpc_SameAddress()
    {
        var ours = await Client.GetPublicAddressAsync(MiniUpnpdClients.Timeout, CancellationToken.None);
        var theirs = Natpmpc.PublicAddress(Topology.ClientNamespace, Bound);

        Assert.True(theirs.ExitCode == 0, theirs.Output);
        Assert.Equal(theirs.PublicAddress, ours.Address);
    }

    [Fact]
    public async Task MapAsync_ThenNatpmpcRefreshesSameInternalPort_GetsOurExternalPort()
    {
        var ours = await Client.MapAsync(NatPmpProtocol.Udp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        var theirs = Natpmpc.Map(Topology.ClientNamespace, "udp", ours.ExternalPort, 40000, 60, Bound);

        Assert.True(theirs.ExitCode == 0, theirs.Output);
        Assert.Equal(ours.ExternalPort, theirs.ExternalPort);
        Assert.Equal(ours.InternalPort, theirs.InternalPort);
        Assert.Single(Topology.ReadLeases());
    }

    [Fact]
    public async Task MapAsync_AfterNatpmpcMapped_RefreshesItsExternalPort()
    {
        var theirs = Natpmpc.Map(Topology.ClientNamespace, "tcp", 46000, 40000, 60, Bound);
        Assert.True(theirs.ExitCode == 0, theirs.Output);

        var ours = await Client.MapAsync(NatPmpProtocol.Tcp, 40000, theirs.ExternalPort!.Value, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal(theirs.ExternalPort, ours.ExternalPort);
        Assert.Single(Topology.ReadLeases());
    }

    [Fact]
    public async Task DeleteAsync_MappingMadeByNatpmpc_RemovesIt()
    {
        var theirs = Natpmpc.Map(Topology.ClientNamespace, "udp", 46000, 40000, 60, Bound);
        Assert.True(theirs.ExitCode == 0, theirs.Output);
        Assert.Single(Topology.ReadLeases());

        var deleted = await Client.DeleteAsync(NatPmpProtocol.Udp, 40000, MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.Equal((ushort)0, deleted.ExternalPort);
        Assert.Empty(Topology.ReadLeases());
    }
}
