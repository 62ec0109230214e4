using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>
/// One test's own topology and a client bound to the tunnel address; both disposed together, and the topology also
/// when opening the client fails (xunit does not dispose a test class whose constructor threw).
/// </summary>
internal sealed class MiniUpnpdSession : IDisposable
{
    public MiniUpnpdSession(ClientRouting routing)
    {
        Topology = GatewayTopology.Create(routing);
        try
        {
            Client = MiniUpnpdClients.OpenBound(Topology);
        }
        catch
        {
            Topology.Dispose();
            throw;
        }
    }

    public GatewayTopology Topology { get; }

    public NatPmpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Topology.Dispose();
    }
}
