using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Demo;
using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.Transmission;

/// <summary>
/// --transmission-port-test against a real transmission-daemon 3.00, the daemon process and the demo's gateway
/// emulator all in Transmission's namespace, which has only <c>lo</c>: Transmission's outside port-check service
/// cannot be reached (no packet leaves the namespace), so the test is reported as unknown while the port stays synced.
/// </summary>
public sealed class TransmissionPortTestIntegrationTests(ITestOutputHelper output)
{
    private const string Series = "proton_port_sync_client_connection_status";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Daemon_PortTestOnWithoutAnOutsideService_UnknownInMetricsAndStatusWarnedAndStillInSync()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        var socket = tr.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await using var gateway = ProtonGatewayEmulator.Start(
            TimeProvider.System,
            new ProtonGatewayEmulatorOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Seed = 13 },
            NullLogger.Instance,
            unboundSocket: socket);
        using var daemon = DaemonProcess.Start(tr.Namespace,
        [
            "run", "--gateway", gateway.LocalEndPoint.ToString(), "--bind-address", "127.0.0.1", "--renew-interval", "2", "--request-timeout", "1",
            "--recovery", "none", "--client", "transmission", "--transmission-url", tr.RpcUrl.ToString(), "--transmission-user", TransmissionInstance.Username,
            "--transmission-password-file", tr.WritePasswordFile(), "--transmission-port-test", "--metrics-addr", "127.0.0.1:9834",
        ]);
        using var http = new HttpClient(tr.CreateHandler()) { BaseAddress = new Uri("http://127.0.0.1:9834"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await daemon.WaitForEventAsync(2213, Bound);
            var clock = Stopwatch.StartNew();
            var failed = await daemon.WaitForEventAsync(2215, Bound);
            output.WriteLine($"port-test failed after {clock.ElapsedMilliseconds} ms of waiting: {failed}");
            await daemon.WaitForEventAsync(2060, Bound, containing: "as unknown");

            var port = gateway.CurrentPort!.Value;
            Assert.True(await tr.WaitUntilListeningAsync(port), tr.ListeningSockets());
            var metrics = string.Empty;
            for (var i = 0; i < 25 && !metrics.Contains($"{Series}{{status=\"unknown\"}} 1", StringComparison.Ordinal); i++)
            {
                await Task.Delay(200);
                metrics = await http.GetStringAsync("/metrics");
            }

            Assert.Contains($"{Series}{{status=\"unknown\"}} 1", metrics, StringComparison.Ordinal);
            Assert.Contains($"{Series}{{status=\"connected\"}} 0", metrics, StringComparison.Ordinal);
            using (var status = JsonDocument.Parse(await http.GetStringAsync("/status")))
            {
                Assert.Equal("unknown", status.RootElement.GetProperty("client_connection_status").GetString());
                Assert.True(status.RootElement.GetProperty("in_sync").GetBoolean());
                Assert.Equal(port, status.RootElement.GetProperty("client_port").GetInt32());
            }

            // Cycles go on (renewals every 2 s) without asking the outside service again, and nothing crashed.
            var renewals = gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapTcp);
            for (var i = 0; i < 200 && gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapTcp) < renewals + 2; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapTcp) >= renewals + 2, daemon.Output);
            Assert.Equal(1, CountOf(daemon.Output, "[2215]"));
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
            daemon.Process.Stop(TimeSpan.FromSeconds(3));
        }
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
