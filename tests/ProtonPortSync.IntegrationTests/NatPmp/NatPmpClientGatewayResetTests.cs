using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>RFC 6886 §3.6 epoch handling against a miniupnpd that really restarts (system_uptime=no: epoch = its uptime).</summary>
public sealed class NatPmpClientGatewayResetTests : IDisposable
{
    /// <summary>
    /// §3.6 only calls it a reset when the new epoch is more than 2 s below last + 7/8 of the elapsed time, so the
    /// gateway must have been up a few seconds before the restart for the drop to show.
    /// </summary>
    private const uint EpochBeforeRestart = 4;
    private const int MaxRenewals = 20;
    private static readonly TimeSpan RenewInterval = TimeSpan.FromMilliseconds(400);

    private readonly GatewayTopology _topology = GatewayTopology.Create(ClientRouting.Policy);

    public void Dispose() => _topology.Dispose();

    [Fact]
    public async Task MapAsync_AfterGatewayRestartWithLostState_ReportsGatewayResetOnceThenRenewsNormally()
    {
        using var client = MiniUpnpdClients.OpenBound(_topology);
        var mapping = await MapAsync(client);
        var renewals = new List<NatPmpMapping> { mapping };
        for (var i = 0; i < MaxRenewals && mapping.SecondsSinceEpoch < EpochBeforeRestart; i++)
        {
            await Task.Delay(RenewInterval);
            mapping = await MapAsync(client);
            renewals.Add(mapping);
        }

        _topology.RestartGateway(cleanState: true);
        var afterRestart = await MapAsync(client);
        var next = await MapAsync(client);

        Assert.True(mapping.SecondsSinceEpoch >= EpochBeforeRestart, $"gateway epoch only reached {mapping.SecondsSinceEpoch}");
        Assert.All(renewals, r => Assert.False(r.GatewayReset, $"ordinary renewal at epoch {r.SecondsSinceEpoch} reported a reset"));
        Assert.True(afterRestart.GatewayReset, $"epoch {mapping.SecondsSinceEpoch} -> {afterRestart.SecondsSinceEpoch} not reported as reset");
        Assert.True(afterRestart.SecondsSinceEpoch < mapping.SecondsSinceEpoch);
        Assert.False(next.GatewayReset);
        Assert.Equal(mapping.ExternalPort, afterRestart.ExternalPort);
        Assert.Single(_topology.ReadLeases());
    }

    [Fact]
    public async Task GetPublicAddressAsync_NewClientAfterRestart_ReportsNoReset()
    {
        _topology.RestartGateway();
        using var client = MiniUpnpdClients.OpenBound(_topology);

        var reply = await client.GetPublicAddressAsync(MiniUpnpdClients.Timeout, CancellationToken.None);

        Assert.False(reply.GatewayReset);
        Assert.Equal(GatewayTopology.ExternalAddress, reply.Address);
    }

    private static Task<NatPmpMapping> MapAsync(NatPmpClient client)
        => client.MapAsync(NatPmpProtocol.Udp, 40000, 45000, MiniUpnpdClients.Lifetime, MiniUpnpdClients.Timeout, CancellationToken.None);
}
