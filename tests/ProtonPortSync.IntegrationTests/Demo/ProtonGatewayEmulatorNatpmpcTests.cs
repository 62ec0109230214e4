using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ProtonPortSync.Demo;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.Demo;

/// <summary>
/// Cross-checks the emulator with an independent client, Debian's <c>natpmpc</c>, issuing Proton's documented
/// request (<c>natpmpc -a 1 0 udp 60 -g …</c>). The emulator serves on port 5351 inside a fresh namespace.
/// natpmpc prints "liftime" (sic), hence the lif(e)?time in the patterns.
/// </summary>
public sealed partial class ProtonGatewayEmulatorNatpmpcTests
{
    [Fact]
    public async Task Natpmpc_ProtonRequest_GetsEmulatorPortForUdpAndTcp()
    {
        using var ns = NetworkNamespace.Create("emu");
        var socket = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var options = new ProtonGatewayEmulatorOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, NatPmpCodec.ServerPort), Seed = 7 };
        await using var emulator = ProtonGatewayEmulator.Start(TimeProvider.System, options, unboundSocket: socket);

        var udp = ns.Run("natpmpc", "-g", "127.0.0.1", "-a", "1", "0", "udp", "60");
        var tcp = ns.Run("natpmpc", "-g", "127.0.0.1", "-a", "1", "0", "tcp", "3600");
        var address = ns.Run("natpmpc", "-g", "127.0.0.1");

        var port = emulator.CurrentPort;
        Assert.NotNull(port);
        Assert.Matches($"Mapped public port {port} protocol UDP to local port 0 lif(e)?time 60", udp.StdOut);
        Assert.Matches($"Mapped public port {port} protocol TCP to local port 0 lif(e)?time 60", tcp.StdOut);
        Assert.Contains("Public IP address : 203.0.113.7", address.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, udp.ExitCode);
        Assert.True(emulator.RequestCount(NatPmpOpcode.MapUdp) >= 1);
        Assert.True(emulator.RequestCount(NatPmpOpcode.MapTcp) >= 1);
    }

    [Fact]
    public async Task Natpmpc_Delete_ReportsMappingRemoved()
    {
        using var ns = NetworkNamespace.Create("emu");
        var socket = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var options = new ProtonGatewayEmulatorOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, NatPmpCodec.ServerPort) };
        await using var emulator = ProtonGatewayEmulator.Start(TimeProvider.System, options, unboundSocket: socket);

        ns.Exec("natpmpc", "-g", "127.0.0.1", "-a", "1", "0", "udp", "60");
        Assert.NotNull(emulator.CurrentPort);
        var delete = ns.Run("natpmpc", "-g", "127.0.0.1", "-a", "0", "0", "udp", "0");

        Assert.Null(emulator.CurrentPort);
        Assert.Matches(MappedZero(), delete.StdOut);
    }

    [GeneratedRegex("Mapped public port 0 protocol UDP to local port 0 lif(e)?time 0")]
    private static partial Regex MappedZero();
}
