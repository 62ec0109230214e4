using System.Diagnostics;
using System.Net;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>
/// Proves the rig itself with natpmpc, independently of our client: if these fail, a client test failing says
/// nothing about the client.
/// </summary>
public sealed class GatewayTopologyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public void Natpmpc_OnLink_GetsPublicAddressAndMappingRecordedInLeases()
    {
        using var topology = GatewayTopology.Create(ClientRouting.OnLink);

        var address = Natpmpc.PublicAddress(topology.ClientNamespace, Bound);
        var mapped = Natpmpc.Map(topology.ClientNamespace, "udp", 41000, 41001, 60, Bound);

        Assert.True(address.ExitCode == 0, address.Output);
        Assert.Equal(GatewayTopology.ExternalAddress, address.PublicAddress);
        Assert.True(mapped.ExitCode == 0, mapped.Output);
        Assert.Equal((ushort)41000, mapped.ExternalPort);
        var lease = Assert.Single(topology.ReadLeases());
        Assert.Equal(new MiniUpnpdLease(NatPmpProtocol.Udp, 41000, GatewayTopology.TunnelAddress, 41001, lease.ExpiresAt, "NAT-PMP 41000 udp"), lease);
        Assert.InRange(lease.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(50), DateTimeOffset.UtcNow.AddSeconds(70));
    }

    [Fact]
    public void Natpmpc_PolicyRoutingUnbound_GetsNoReplyAndGatewaySeesNothing()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);

        var result = Natpmpc.PublicAddress(topology.ClientNamespace, TimeSpan.FromSeconds(1));

        Assert.True(result.ExitCode == Natpmpc.TimedOutExitCode, result.Output);
        Assert.Null(result.PublicAddress);
        Assert.DoesNotContain("request received", topology.GatewayOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Natpmpc_FullTunnelUnbound_GetsPublicAddress()
    {
        using var topology = GatewayTopology.Create(ClientRouting.FullTunnel);

        var result = Natpmpc.PublicAddress(topology.ClientNamespace, Bound);

        Assert.True(result.ExitCode == 0, result.Output + topology.GatewayOutput);
        Assert.Equal(GatewayTopology.ExternalAddress, result.PublicAddress);
    }

    [Fact]
    public void Natpmpc_FaultsSetAndCleared_FailsThenSucceeds()
    {
        using var topology = GatewayTopology.Create(ClientRouting.OnLink);

        topology.RejectNatPmp();
        var clock = Stopwatch.StartNew();
        var rejected = Natpmpc.PublicAddress(topology.ClientNamespace, Bound);
        var rejectedAfter = clock.Elapsed;
        topology.DropNatPmp();
        var dropped = Natpmpc.PublicAddress(topology.ClientNamespace, TimeSpan.FromSeconds(1));
        topology.ClearFaults();
        var cleared = Natpmpc.PublicAddress(topology.ClientNamespace, Bound);

        Assert.True(rejected.ExitCode is not 0 and not Natpmpc.TimedOutExitCode, rejected.Output);
        Assert.True(rejectedAfter < TimeSpan.FromSeconds(1), $"reject took {rejectedAfter}");
        Assert.True(dropped.ExitCode == Natpmpc.TimedOutExitCode, dropped.Output);
        Assert.True(cleared.ExitCode == 0, cleared.Output);
    }

    [Fact]
    public void RestartGateway_CleanState_ForgetsLeasesAndListensAgain()
    {
        using var topology = GatewayTopology.Create(ClientRouting.OnLink);
        var firstPid = topology.Gateway.Pid;
        Assert.Equal(0, Natpmpc.Map(topology.ClientNamespace, "tcp", 42000, 42000, 60, Bound).ExitCode);

        topology.RestartGateway();
        var keptLeases = topology.ReadLeases();
        topology.RestartGateway(cleanState: true);
        var cleanLeases = topology.ReadLeases();
        var after = Natpmpc.PublicAddress(topology.ClientNamespace, Bound);

        Assert.NotEqual(firstPid, topology.Gateway.Pid);
        Assert.Single(keptLeases);
        Assert.Empty(cleanLeases);
        Assert.True(after.ExitCode == 0, after.Output);
        Assert.Equal(3, topology.GatewayOutput.Split("version 2.3.1 starting").Length - 1);
    }

    [Fact]
    public void ReadClientAddress_Wg0_ReturnsTunnelAddress()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);

        Assert.Equal(GatewayTopology.TunnelAddress, topology.ReadClientAddress());
        Assert.Equal(GatewayTopology.LanAddress, topology.ReadClientAddress("lan0"));
    }

    [Fact]
    public void Dispose_AfterUse_LeavesNoNamespaceOrProcess()
    {
        var topology = GatewayTopology.Create(ClientRouting.Policy);
        var names = new[] { topology.ClientNamespace.Name, topology.GatewayNamespace.Name, topology.LanNamespace!.Name };
        var pid = topology.Gateway.Pid!.Value;
        var directory = topology.Gateway.Directory;

        topology.Dispose();

        var namespaces = Shell.Check("ip", "netns", "list");
        Assert.All(names, n => Assert.DoesNotContain(n, namespaces, StringComparison.Ordinal));
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("miniupnpd", StringComparison.Ordinal));
        Assert.False(Directory.Exists(directory));
        Assert.Equal(IPAddress.Parse("10.2.0.1"), GatewayTopology.GatewayEndPoint.Address);
    }
}
