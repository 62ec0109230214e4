using System.Globalization;
using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// qBittorrent's own view of reachability (connection_status in transfer/info) through the running daemon, on
/// Debian 12's 4.5.2 and Debian 13's 5.1.0: the one reported status is 1 in /metrics (promtool clean) and named in
/// /status. In a namespace with only lo nothing can connect in, so the status is never "connected".
/// </summary>
public sealed class ClientConnectionEndToEndTests(ITestOutputHelper output)
{
    private const int Port = 40300;
    private const string Series = "proton_port_sync_client_connection_status";
    private static readonly string[] Reported = ["firewalled", "disconnected"];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Daemon_RealQBittorrent_ConnectionStatusInMetricsAndStatus(bool trixie)
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace, tree: trixie ? ChrootTree.Trixie : null);
        using var daemon = DaemonProcess.Start(topology.ClientNamespace,
        [
            "run", "--gateway", "10.2.0.1", "--bind-address", "10.2.0.2",
            "--internal-port", Port.ToString(CultureInfo.InvariantCulture), "--suggested-port", Port.ToString(CultureInfo.InvariantCulture),
            "--renew-interval", "2", "--request-timeout", "1", "--recovery", "none",
            "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", qbt.WritePasswordFile(),
            "--metrics-addr", "127.0.0.1:9834",
        ]);
        using var http = new HttpClient(NamespaceHttpHandler.Create(topology.ClientNamespace)) { BaseAddress = new Uri("http://127.0.0.1:9834"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var line = await daemon.WaitForEventAsync(2060, Bound);
            var status = Reported.Single(s => line.Contains($"as {s}", StringComparison.Ordinal));

            // The heartbeat after the cycle that read it carries it to /metrics; poll briefly (bounded).
            var metrics = string.Empty;
            for (var i = 0; i < 25 && !metrics.Contains($"{Series}{{status=\"{status}\"}} 1", StringComparison.Ordinal); i++)
            {
                await Task.Delay(200);
                metrics = await http.GetStringAsync("/metrics");
            }

            Assert.Contains($"{Series}{{status=\"{status}\"}} 1", metrics, StringComparison.Ordinal);
            Assert.Contains($"{Series}{{status=\"connected\"}} 0", metrics, StringComparison.Ordinal);
            Assert.Contains($"{Series}{{status=\"unknown\"}} 0", metrics, StringComparison.Ordinal);
            var promtool = Shell.Run("promtool", ["check", "metrics"], stdin: metrics);
            Assert.True(promtool.ExitCode == 0 && (promtool.StdErr + promtool.StdOut).Trim().Length == 0, $"promtool: {promtool.StdErr}{promtool.StdOut}");

            using var document = JsonDocument.Parse(await http.GetStringAsync("/status"));
            Assert.Equal(status, document.RootElement.GetProperty("client_connection_status").GetString());
            Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("client_connection_since").ValueKind);
            Assert.True(document.RootElement.GetProperty("in_sync").GetBoolean());
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }
}
