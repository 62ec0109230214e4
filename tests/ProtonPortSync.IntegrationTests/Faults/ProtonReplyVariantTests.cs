using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Demo;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>
/// Issue 13: Proton's reply to internal port 0 carries 0 or the granted external port. The daemon process (internal
/// 0, Proton's documented request) against the demo's gateway emulator answering each way, in a namespace. The
/// standards case (a real internal port, strict echo) runs against miniupnpd in DaemonEndToEndTests.
/// </summary>
public sealed class ProtonReplyVariantTests
{
    [Theory]
    [InlineData(nameof(InternalPortReply.Echo))]
    [InlineData(nameof(InternalPortReply.Zero))]
    [InlineData(nameof(InternalPortReply.ExternalPort))]
    public async Task Daemon_InternalZero_InSyncWithEachReplyVariantAndRenews(string variant)
    {
        using var ns = NetworkNamespace.Create("variant");
        var socket = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await using var gateway = ProtonGatewayEmulator.Start(
            TimeProvider.System,
            new ProtonGatewayEmulatorOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), InternalPortReply = Enum.Parse<InternalPortReply>(variant), Seed = 13 },
            NullLogger.Instance,
            unboundSocket: socket);
        var directory = Directory.CreateTempSubdirectory("pps-variant-").FullName;
        var portFile = Path.Combine(directory, "forwarded_port");
        try
        {
            using var daemon = DaemonProcess.Start(ns, ["run", "--gateway", gateway.LocalEndPoint.ToString(), "--bind-address", "127.0.0.1", "--internal-port", "0", "--renew-interval", "1", "--request-timeout", "3", "--recovery", "none", "--client", "file", "--port-file", portFile]);
            try
            {
                await daemon.WaitForEventAsync(2012, TimeSpan.FromSeconds(15));
                var port = gateway.CurrentPort!.Value;
                Assert.Equal($"{port}\n", await File.ReadAllTextAsync(portFile));

                // Renewals keep being accepted: no timeouts, no failures.
                var before = gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapTcp);
                // Two more renewals, however long they take on a loaded machine (bounded poll).
                for (var i = 0; i < 300 && gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapTcp) < before + 2; i++)
                {
                    await Task.Delay(50);
                }

                Assert.True(gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapTcp) >= before + 2, daemon.Output);
                // A refused variant fails every renewal; 3 s per attempt (retransmitted from 250 ms) leaves room for a
                // gateway emulator in a loaded test process, which missed a 1 s deadline once under the full suite.
                Assert.False(daemon.Output.Contains("Renewal failed", StringComparison.Ordinal), daemon.Output);
                Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
                Assert.Contains(port.ToString(CultureInfo.InvariantCulture), daemon.Output, StringComparison.Ordinal);
            }
            finally
            {
                daemon.Process.Stop(TimeSpan.FromSeconds(3));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
