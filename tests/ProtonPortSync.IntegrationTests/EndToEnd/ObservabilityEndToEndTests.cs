using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients.QBittorrent;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// /metrics, /healthz and /status of the running daemon in the end-to-end rig (policy routing, miniupnpd, real
/// qBittorrent): promtool accepts the metrics; health goes red when the client is out of sync or the gateway is
/// silent, and green again after the repair.
/// </summary>
public sealed class ObservabilityEndToEndTests(ITestOutputHelper output)
{
    private const int Port = 40200;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Daemon_MetricsAndHealth_TellTheTruthThroughDriftAndGatewayLoss()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace);
        var passwordFile = qbt.WritePasswordFile();
        using var daemon = DaemonProcess.Start(topology.ClientNamespace,
        [
            "run", "--gateway", "10.2.0.1", "--bind-address", "10.2.0.2",
            "--internal-port", Port.ToString(CultureInfo.InvariantCulture), "--suggested-port", Port.ToString(CultureInfo.InvariantCulture),
            "--renew-interval", "2", "--request-timeout", "1", "--recovery", "none",
            "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", passwordFile,
            "--metrics-addr", "127.0.0.1:9834",
        ]);
        using var http = new HttpClient(NamespaceHttpHandler.Create(topology.ClientNamespace)) { BaseAddress = new Uri("http://127.0.0.1:9834"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await daemon.WaitForEventAsync(2012, Bound, containing: $" {Port} ");
            Assert.Equal(HttpStatusCode.OK, await HealthAsync(http, HttpStatusCode.OK));

            // Metrics: the original's names, valid for promtool, and the truth about the port.
            var metrics = await http.GetStringAsync("/metrics");
            var promtool = Shell.Run("promtool", ["check", "metrics"], stdin: metrics);
            Assert.True(promtool.ExitCode == 0 && (promtool.StdErr + promtool.StdOut).Trim().Length == 0, $"promtool: {promtool.StdErr}{promtool.StdOut}");
            Assert.Contains($"proton_port_sync_current_port {Port}", metrics, StringComparison.Ordinal);
            Assert.Contains($"proton_port_sync_client_port {Port}", metrics, StringComparison.Ordinal);
            Assert.Contains("proton_port_sync_in_sync 1", metrics, StringComparison.Ordinal);
            using (var status = JsonDocument.Parse(await http.GetStringAsync("/status")))
            {
                Assert.Equal("1.2.3.4", status.RootElement.GetProperty("public_address").GetString());
                Assert.Equal($"1.2.3.4:{Port}", status.RootElement.GetProperty("peers_connect_to").GetString());
            }

            // qBittorrent 4.5.2's own view (connection_status): one status at 1 in /metrics, named in /status.
            var (connection, _) = await ClientConnectionEndToEndTests.ReportedStatusAsync(daemon, http, Bound);
            await ClientConnectionEndToEndTests.AssertStatusNamesItAsync(http, connection);

            // Drift the daemon cannot repair yet: qBittorrent moved by hand to another port, then stopped.
            using (var byHand = new QBittorrentClient(new QBittorrentOptions { BaseUrl = qbt.BaseUrl, PasswordFile = passwordFile }, TimeProvider.System, NullLogger<QBittorrentClient>.Instance, qbt.CreateHandler()))
            {
                await byHand.SetListenPortAsync(45000, default);
            }

            qbt.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(http, HttpStatusCode.ServiceUnavailable));
            await qbt.StartAsync();
            Assert.Equal(HttpStatusCode.OK, await HealthAsync(http, HttpStatusCode.OK));
            Assert.True(await qbt.WaitUntilListeningAsync(Port), qbt.ListeningSockets());

            // The gateway goes silent: red once the renewals fail; green after it answers again.
            topology.DropNatPmp();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(http, HttpStatusCode.ServiceUnavailable));
            Assert.Contains("proton_port_sync_failures_total", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
            topology.ClearFaults();
            Assert.Equal(HttpStatusCode.OK, await HealthAsync(http, HttpStatusCode.OK));
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    /// <summary>Polls /healthz (bounded: 30 s, every 200 ms) until it answers <paramref name="wanted"/>; returns the last status.</summary>
    private async Task<HttpStatusCode> HealthAsync(HttpClient http, HttpStatusCode wanted)
    {
        var last = (HttpStatusCode)0;
        var body = string.Empty;
        for (var i = 0; i < 150 && last != wanted; i++)
        {
            if (i > 0)
            {
                await Task.Delay(200);
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                last = response.StatusCode;
                body = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                // Not serving yet.
            }
        }

        output.WriteLine($"/healthz {(int)last}: {body.Trim()}");
        return last;
    }
}
