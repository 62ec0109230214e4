using System.Net;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.Tests.Doctor;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WireGuardConfigCheckTests : IDisposable
{
    private const string PrivateKey = "kPbUHZb2YVlE0ry0XzFq2yQ9c2Sge3Nq5cWnKuZQ9WA=";

    private const string ProtonConfig = $"""
        [Interface]
        # Key for seedbox
        # Bouncing = 8
        # NetShield = 0
        # Moderate NAT = off
        # NAT-PMP (Port Forwarding) = on
        # VPN Accelerator = on
        PrivateKey = {PrivateKey}
        Address = 10.2.0.2/32
        DNS = 10.2.0.1

        [Peer]
        # NL#412
        PublicKey = kA1rjVXQmF0fDD4ILm8KJ6cYgRZtq3Mxo0ODNA6BbTM=
        AllowedIPs = 0.0.0.0/0
        Endpoint = 185.107.56.1:51820
        """;

    private static readonly IPAddress Tunnel = IPAddress.Parse("10.2.0.2");
    private static readonly IPAddress Gateway = IPAddress.Parse("10.2.0.1");
    private readonly string _dir = Directory.CreateTempSubdirectory("pps-wg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Parse_ProtonFile_ReadsAddressesDnsEndpointAndForwarding()
    {
        var config = WireGuardConfig.Parse(ProtonConfig);

        Assert.Equal([Tunnel], config.Addresses);
        Assert.Equal([Gateway], config.Dns);
        Assert.Equal("185.107.56.1:51820", config.Endpoint);
        Assert.True(config.PortForwarding);
    }

    [Fact]
    public void Parse_DualStackAddressLine_KeepsBoth()
    {
        var config = WireGuardConfig.Parse("Address = 10.2.0.2/32, 2a07:b944::2:2/128\n");

        Assert.Equal(2, config.Addresses.Count);
    }

    [Fact]
    public async Task RunAsync_ProtonFileWithForwardingOn_OkAndNoPrivateKey()
    {
        var result = await Check(Write(ProtonConfig)).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Ok, result.Verdict);
        Assert.Contains("NAT-PMP (Port Forwarding) = on", result.Detail, StringComparison.Ordinal);
        Assert.Contains("185.107.56.1:51820", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateKey, result.Detail + result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ForwardingOff_FailsWithNewConfigurationFix()
    {
        var result = await Check(Write(ProtonConfig.Replace("(Port Forwarding) = on", "(Port Forwarding) = off", StringComparison.Ordinal))).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("= off", result.Detail, StringComparison.Ordinal);
        Assert.Contains("P2P server", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoForwardingComment_WarnsCannotTell()
    {
        var result = await Check(Write(ProtonConfig.Replace("# NAT-PMP (Port Forwarding) = on\n", string.Empty, StringComparison.Ordinal))).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Warn, result.Verdict);
        Assert.Contains("cannot tell", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BindAddressNotTheTunnels_FailsNamingBoth()
    {
        var result = await new WireGuardConfigCheck(Write(ProtonConfig), IPAddress.Parse("10.2.0.9"), Gateway).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("10.2.0.2", result.Detail, StringComparison.Ordinal);
        Assert.Contains("--bind-address 10.2.0.2", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_GatewayNotTheDnsServer_Warns()
    {
        var result = await new WireGuardConfigCheck(Write(ProtonConfig), Tunnel, IPAddress.Parse("10.2.0.254")).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Warn, result.Verdict);
        Assert.Contains("--gateway 10.2.0.1", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingFile_FailsWithFixAboutTheConfigurationNotASecretLine()
    {
        var result = await Check(Path.Combine(_dir, "nope.conf")).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("does not exist", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("secret on one line", result.Detail, StringComparison.Ordinal);
        Assert.Contains("--wg-config", result.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, false)]
    public async Task RunAsync_FileModes_WarnsOnlyWhenEveryUserCanReadThePrivateKey(UnixFileMode mode, bool warns)
    {
        var expected = warns ? DoctorVerdict.Warn : DoctorVerdict.Ok;
        var path = Write(ProtonConfig);
        File.SetUnixFileMode(path, mode);

        var result = await Check(path).RunAsync(CancellationToken.None);

        Assert.Equal(expected, result.Verdict);
        if (expected == DoctorVerdict.Warn)
        {
            Assert.Contains("mode 0644", result.Detail, StringComparison.Ordinal);
            Assert.Contains("private key", result.Detail, StringComparison.Ordinal);
            Assert.Contains($"chmod 600 '{path}'", result.Fix, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(PrivateKey, result.Detail + result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Fifo_FailsAtOnceInsteadOfHanging()
    {
        var fifo = Path.Combine(_dir, "wg0.conf");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mk.WaitForExitAsync();
        }

        var result = await Check(fifo).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("FIFO", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/tmp")]
    public async Task RunAsync_DeviceOrDirectory_Fails(string path)
    {
        var result = await Check(path).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
    }

    [Fact]
    public async Task RunAsync_Oversized_Fails()
    {
        var path = Write(ProtonConfig + new string('#', WireGuardConfig.MaxBytes));

        var result = await Check(path).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("larger than 65536 bytes", result.Detail, StringComparison.Ordinal);
    }

    private static WireGuardConfigCheck Check(string path) => new(path, Tunnel, Gateway);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"wg{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
