using System.Globalization;
using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// qBittorrent's own view of reachability (connection_status in transfer/info) through the running daemon, on
/// Debian 13's 5.1.0 (Debian 12's 4.5.2: <see cref="ObservabilityEndToEndTests"/>): the one reported status is 1 in
/// /metrics (promtool clean) and named in /status. Nothing can connect in from outside the test namespaces, so the
/// status is never "connected".
/// </summary>
public sealed class ClientConnectionEndToEndTests(ITestOutputHelper output)
{
    private const int Port = 40300;
    private const string Series = "proton_port_sync_client_connection_status";
    private static readonly string[] Reported = ["firewalled", "disconnected"];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Daemon_RealQBittorrent51_ConnectionStatusInMetricsAndStatus()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace, tree: ChrootTree.Trixie);
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
            var (status, metrics) = await ReportedStatusAsync(daemon, http, Bound);

            Assert.Contains($"{Series}{{status=\"{status}\"}} 1", metrics, StringComparison.Ordinal);
            Assert.Contains($"{Series}{{status=\"connected\"}} 0", metrics, StringComparison.Ordinal);
            Assert.Contains($"{Series}{{status=\"unknown\"}} 0", metrics, StringComparison.Ordinal);
            var promtool = Shell.Run("promtool", ["check", "metrics"], stdin: metrics);
            Assert.True(promtool.ExitCode == 0 && (promtool.StdErr + promtool.StdOut).Trim().Length == 0, $"promtool: {promtool.StdErr}{promtool.StdOut}");

            await AssertStatusNamesItAsync(http, status);
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    /// <summary>Waits (bounded) for event 2060 and then for the heartbeat that carries its status to /metrics.</summary>
    internal static async Task<(string Status, string Metrics)> ReportedStatusAsync(DaemonProcess daemon, HttpClient http, TimeSpan bound)
    {
        var line = await daemon.WaitForEventAsync(2060, bound);
        var status = Reported.Single(s => line.Contains($"as {s}", StringComparison.Ordinal));
        var metrics = string.Empty;
        for (var i = 0; i < 25 && !metrics.Contains($"{Series}{{status=\"{status}\"}} 1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            metrics = await http.GetStringAsync("/metrics");
        }

        Assert.Contains($"{Series}{{status=\"{status}\"}} 1", metrics, StringComparison.Ordinal);
        return (status, metrics);
    }

    internal static async Task AssertStatusNamesItAsync(HttpClient http, string status)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/status"));
        Assert.Equal(status, document.RootElement.GetProperty("client_connection_status").GetString());
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("client_connection_since").ValueKind);
        Assert.True(document.RootElement.GetProperty("in_sync").GetBoolean());
    }
}
