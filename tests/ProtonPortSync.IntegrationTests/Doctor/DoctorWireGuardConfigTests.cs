using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.Doctor;

/// <summary>
/// `doctor --wg-config` as a process in the client namespace of the policy-routing topology (wg0 = 10.2.0.2,
/// miniupnpd at 10.2.0.1 as the gateway), on a configuration shaped like the ones Proton's dashboard hands out.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DoctorWireGuardConfigTests(ITestOutputHelper output) : IDisposable
{
    private const string PrivateKey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    private const string ForwardingComment = "# NAT-PMP (Port Forwarding) = on\n";

    private const string ProtonConfig = $"""
        [Interface]
        # Key for seedbox
        # Bouncing = 1
        # NetShield = 0
        # Moderate NAT = off
        {ForwardingComment}# VPN Accelerator = on
        PrivateKey = {PrivateKey}
        Address = 10.2.0.2/32
        DNS = 10.2.0.1

        [Peer]
        # NL-FREE#1
        PublicKey = kA1rjVXQmF0fDD4ILm8KJ6cYgRZtq3Mxo0ODNA6BbTM=
        AllowedIPs = 0.0.0.0/0
        Endpoint = 192.0.2.44:51820

        """;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("pps-doctor-wg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Doctor_ProtonConfigWithForwardingComment_OkExitZeroAndNoPrivateKey()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);

        var (exit, text) = RunDoctor(topology, ProtonConfig);

        Assert.True(exit == 0, text);
        Assert.Contains("ok    wg config", text, StringComparison.Ordinal);
        Assert.Contains("NAT-PMP (Port Forwarding) = on for this key", text, StringComparison.Ordinal);
        Assert.Contains("tunnel address 10.2.0.2 matches --bind-address", text, StringComparison.Ordinal);
        Assert.Contains("gateway 10.2.0.1 is the tunnel's DNS server", text, StringComparison.Ordinal);
        Assert.Contains("ok    gateway", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_ProtonConfigWithoutForwardingComment_WarnsCannotTellExitZero()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);

        var (exit, text) = RunDoctor(topology, ProtonConfig.Replace(ForwardingComment, string.Empty, StringComparison.Ordinal));

        Assert.True(exit == 0, text);
        Assert.Contains("warn  wg config", text, StringComparison.Ordinal);
        Assert.Contains("cannot tell whether port forwarding is on", text, StringComparison.Ordinal);
        Assert.Contains("'NAT-PMP (Port Forwarding)' on and a P2P server", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_AddressAndGatewayNotTheFlags_FailNamesBothWithTheValuesToPass()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        var other = ProtonConfig
            .Replace("Address = 10.2.0.2/32", "Address = 10.2.0.7/32", StringComparison.Ordinal)
            .Replace("DNS = 10.2.0.1", "DNS = 10.2.0.9", StringComparison.Ordinal);

        var (exit, text) = RunDoctor(topology, other);

        Assert.True(exit == 1, text);
        Assert.Contains("fail  wg config", text, StringComparison.Ordinal);
        Assert.Contains("the tunnel's Address is 10.2.0.7, but --bind-address is 10.2.0.2", text, StringComparison.Ordinal);
        Assert.Contains("--gateway is 10.2.0.1", text, StringComparison.Ordinal);
        Assert.Contains("pass --bind-address 10.2.0.7", text, StringComparison.Ordinal);
        Assert.Contains("pass --gateway 10.2.0.9", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_ForwardingOffComment_FailsBeforeTheGatewayLine()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);

        var (exit, text) = RunDoctor(topology, ProtonConfig.Replace("(Port Forwarding) = on", "(Port Forwarding) = off", StringComparison.Ordinal));

        Assert.True(exit == 1, text);
        var wg = text.IndexOf("fail  wg config", StringComparison.Ordinal);
        Assert.True(wg >= 0 && wg < text.IndexOf("gateway      ", StringComparison.Ordinal), text);
        Assert.Contains("= off: the gateway will refuse every mapping for this key", text, StringComparison.Ordinal);
    }

    private (int Exit, string Text) RunDoctor(GatewayTopology topology, string config)
    {
        var path = Path.Combine(_dir, "wg0.conf");
        File.WriteAllText(path, config);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var doctor = DaemonProcess.Start(
            topology.ClientNamespace,
            [
                "doctor", "--gateway", GatewayTopology.GatewayAddress.ToString(), "--bind-address", GatewayTopology.TunnelAddress.ToString(),
                "--request-timeout", "2", "--recovery", "none", "--client", "file", "--port-file", Path.Combine(_dir, "port"), "--wg-config", path,
            ]);
        Assert.True(doctor.Process.WaitForExit(Bound), $"doctor did not finish within {Bound}:\n{doctor.Output}");
        var text = doctor.Output;
        output.WriteLine(text);
        return (doctor.Process.ExitCode, text);
    }
}
