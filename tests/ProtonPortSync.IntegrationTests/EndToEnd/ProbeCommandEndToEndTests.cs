using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>`proton-port-sync probe` as a process in the client namespace of the policy-routing topology.</summary>
public sealed class ProbeCommandEndToEndTests : IDisposable
{
    private readonly GatewayTopology _topology = GatewayTopology.Create(ClientRouting.Policy);

    public void Dispose() => _topology.Dispose();

    private (int ExitCode, string Output) Probe(params string[] args)
    {
        using var probe = DaemonProcess.Start(_topology.ClientNamespace, ["probe", "--gateway", "10.2.0.1", "--request-timeout", "1", .. args]);
        Assert.True(probe.Process.WaitForExit(TimeSpan.FromSeconds(20)), probe.Output);
        return (probe.Process.ExitCode, probe.Output);
    }

    [Theory]
    [InlineData("--bind-address", "10.2.0.2")]
    [InlineData("--interface", "wg0")]
    public void Probe_BoundToTheTunnel_ExitZeroWithBothMappingsAsJson(string flag, string value)
    {
        var (exit, output) = Probe(flag, value, "--internal-port", "40100", "--suggested-port", "40100", "--json");

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal("1.2.3.4", json.RootElement.GetProperty("public_address").GetString());
        Assert.Equal("1.2.3.4:40100", json.RootElement.GetProperty("peers_connect_to").GetString());
        Assert.Equal(40100, json.RootElement.GetProperty("udp").GetProperty("external_port").GetInt32());
        Assert.Equal(40100, json.RootElement.GetProperty("tcp").GetProperty("external_port").GetInt32());
        Assert.StartsWith("10.2.0.2:", json.RootElement.GetProperty("bound_to").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_BoundToTheLanAddress_Exit3NamingBindAddressAndPolicyRouting()
    {
        var (exit, output) = Probe("--bind-address", GatewayTopology.LanAddress.ToString(), "--internal-port", "40100");

        Assert.True(exit == 3, output);
        Assert.Contains("policy routing", output, StringComparison.Ordinal);
        Assert.Contains("result          FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_GatewayRejects_Exit4NamingPortForwarding()
    {
        _topology.RejectNatPmp();

        var (exit, output) = Probe("--bind-address", "10.2.0.2", "--internal-port", "40100");

        Assert.True(exit == 4, output);
        Assert.Contains("port forwarding is not enabled", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_ProtonRequestOnAStandardsGateway_Exit5NamingResultCode2()
    {
        var (exit, output) = Probe("--bind-address", "10.2.0.2");

        Assert.True(exit == 5, output);
        Assert.Contains("2 Not Authorized/Refused", output, StringComparison.Ordinal);
        Assert.Contains("public address  1.2.3.4", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_InvalidFlags_Exit2ListingEveryError()
    {
        var (exit, output) = Probe("--bind-address", "nope", "--lifetime", "0");

        Assert.Equal(2, exit);
        Assert.Contains("proton-port-sync probe: 2 invalid settings:", output, StringComparison.Ordinal);
        Assert.Contains("--bind-address 'nope'", output, StringComparison.Ordinal);
        Assert.Contains("--lifetime '0'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_BindAddressOnNoInterface_Exit6NamingTheAddress()
    {
        var (exit, output) = Probe("--bind-address", "10.2.0.99", "--internal-port", "40100");

        Assert.True(exit == 6, output);
        Assert.Contains("no interface on this host has that address", output, StringComparison.Ordinal);
        Assert.Contains("result          FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_Success_SaysThePublicAddressIsWherePeersConnect()
    {
        var (exit, output) = Probe("--bind-address", "10.2.0.2", "--internal-port", "40100", "--suggested-port", "40100");

        Assert.True(exit == 0, output);
        Assert.Contains("public address  1.2.3.4 (where peers connect; it can differ from the WireGuard Endpoint", output, StringComparison.Ordinal);
    }
}
