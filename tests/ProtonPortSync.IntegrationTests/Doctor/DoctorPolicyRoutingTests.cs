using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.Doctor;

/// <summary>
/// `proton-port-sync doctor` as a process in the client namespace of the policy-routing topology (wg0 = 10.2.0.2/32,
/// "from 10.2.0.2 lookup 51820", a LAN default route in main), miniupnpd as the gateway: it names the right cause.
/// </summary>
public sealed class DoctorPolicyRoutingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Doctor_HealthyPolicyRouting_ExitZeroWarnsAboutUnboundRoute()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(inNamespace: topology.ClientNamespace);

        var (exit, text) = RunDoctor(topology, "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", qbt.WritePasswordFile());

        Assert.True(exit == 0, text);
        Assert.Contains("ok    bind address 10.2.0.2 is on wg0", text, StringComparison.Ordinal);
        Assert.Contains("warn  route", text, StringComparison.Ordinal);
        Assert.Contains("ok    gateway      10.2.0.1:5351 answers NAT-PMP; public address 1.2.3.4", text, StringComparison.Ordinal);
        Assert.Contains("ok    secret file", text, StringComparison.Ordinal);
        Assert.Contains("ok    qbittorrent", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_WrongBindAddress_FailNamesTheAddress()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);

        var (exit, text) = RunDoctorBoundTo(topology, "10.2.0.99", "--client", "file", "--port-file", "/tmp/pps-doctor-port");

        Assert.True(exit == 1, text);
        Assert.Contains("fail  bind address bind address 10.2.0.99 is on no interface of this host", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_GatewayRejects_FailNamesPortForwardingNotEnabled()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        topology.RejectNatPmp();

        var (exit, text) = RunDoctor(topology, "--client", "file", "--port-file", "/tmp/pps-doctor-port");

        Assert.True(exit == 1, text);
        Assert.Contains("fail  gateway", text, StringComparison.Ordinal);
        Assert.Contains("port forwarding not enabled", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WrongPassword_FailNamesTheCredentialsAfterOneLogin()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(inNamespace: topology.ClientNamespace);

        var (exit, text) = RunDoctor(topology, "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", qbt.WritePasswordFile("not-the-password\n"));

        Assert.True(exit == 1, text);
        Assert.Contains("fail  qbittorrent", text, StringComparison.Ordinal);
        Assert.Contains("refused the credentials", text, StringComparison.Ordinal);

        // One attempt, not five: the right password still logs in (no ban).
        var (again, second) = RunDoctor(topology, "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", qbt.WritePasswordFile());
        Assert.True(again == 0, second);
    }

    private (int Exit, string Text) RunDoctor(GatewayTopology topology, params string[] extra)
        => RunDoctorBoundTo(topology, GatewayTopology.TunnelAddress.ToString(), extra);

    private (int Exit, string Text) RunDoctorBoundTo(GatewayTopology topology, string bindAddress, params string[] extra)
    {
        using var doctor = DaemonProcess.Start(topology.ClientNamespace, ["doctor", "--gateway", GatewayTopology.GatewayAddress.ToString(), "--bind-address", bindAddress, "--request-timeout", "2", "--recovery", "none", .. extra]);
        Assert.True(doctor.Process.WaitForExit(Bound), $"doctor did not finish within {Bound}:\n{doctor.Output}");
        var text = doctor.Output;
        output.WriteLine(text);
        return (doctor.Process.ExitCode, text);
    }
}
