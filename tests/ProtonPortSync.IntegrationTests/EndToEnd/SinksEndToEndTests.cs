using System.Globalization;
using System.Net;
using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// One port, many consumers, in the namespace rig (policy routing, miniupnpd, real qBittorrent): the client, a port
/// file and hooks, each reconciled on its own. Waits are on the daemon's log lines (stable event ids) and bounded.
/// </summary>
public sealed class SinksEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const int Port = 40300;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-sinks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] DaemonArgs(QBittorrentInstance qbt, string passwordFile, params string[] extra)
        => DaemonProcess.RunArgs(Port, requestTimeout: "1", ["--recovery", "none", "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", passwordFile, .. extra]);

    /// <summary>What a hook prints: its $1, its variables, and whether any secret reached it.</summary>
    private const string Reporter = "echo \"seen arg=$1 port=$FORWARDED_PORT prev=${FORWARDED_PREVIOUS_PORT:-none} addr=${FORWARDED_PUBLIC_ADDRESS:-none} creds=${CREDENTIALS_DIRECTORY:-none} qbt=${QBT_PASSWORD_FILE:-none}\"";

    [Fact]
    public async Task Daemon_QBittorrentPortFileAndTwoHooks_AllHoldTheNewPortAfterAGatewayRotation()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace);
        var passwordFile = qbt.WritePasswordFile();
        var portFile = Path.Combine(_directory, "forwarded_port");
        using var daemon = DaemonProcess.Start(
            topology.ClientNamespace,
            DaemonArgs(qbt, passwordFile, "--port-file", portFile, "--on-change-command", Reporter, "--on-change-command", Reporter + " >&2"),
            new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = _directory, ["QBT_PASSWORD_FILE"] = passwordFile });
        try
        {
            // Start: the first port reaches everyone; each hook runs once with it.
            await daemon.WaitForEventAsync(2012, Bound, containing: $" {Port} ");
            foreach (var hook in (string[])["hook:1", "hook:2"])
            {
                var line = await daemon.Process.WaitForLineAsync(l => l.Contains($"{hook}: seen arg={Port} ", StringComparison.Ordinal), Bound);
                Assert.Contains($"port={Port} prev=none addr=1.2.3.4 creds=none qbt=none", line, StringComparison.Ordinal);
            }

            await daemon.WaitForEventAsync(8001, Bound, containing: $"file:{portFile} now carries port {Port}");
            Assert.Equal($"{Port}\n", await File.ReadAllTextAsync(portFile));

            // Rotation: the gateway restarts without state and someone else takes our port first.
            await GatewayRotation.RotateAsync(topology, Port);

            await daemon.WaitForEventAsync(2002, Bound, containing: $"(was {Port})");
            var newPort = topology.ReadLeases().Single(l => l.InternalPort == Port && l.Protocol == NatPmpProtocol.Tcp).ExternalPort;
            Assert.NotEqual(Port, newPort);
            foreach (var hook in (string[])["hook:1", "hook:2"])
            {
                var line = await daemon.Process.WaitForLineAsync(l => l.Contains($"{hook}: seen arg={newPort} ", StringComparison.Ordinal), Bound);
                Assert.Contains($"port={newPort} prev={Port} addr=1.2.3.4 creds=none qbt=none", line, StringComparison.Ordinal);
            }

            await daemon.WaitForEventAsync(8001, Bound, containing: $"file:{portFile} now carries port {newPort}");
            Assert.Equal($"{newPort}\n", await File.ReadAllTextAsync(portFile));
            Assert.True(await qbt.WaitUntilListeningAsync(newPort), qbt.ListeningSockets());

            // Each hook ran exactly once per port.
            Assert.Equal(2, daemon.Output.Split('\n').Count(l => l.Contains("hook:1: seen arg=", StringComparison.Ordinal)));
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    [Fact]
    public async Task Daemon_HooksHangFailAndLeaveAChildPortFileBreaks_LoopAndClientUnaffectedFailuresCountedGroupsKilled()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace);
        var passwordFile = qbt.WritePasswordFile();
        var portDirectory = Path.Combine(_directory, "ports");
        var portFile = Path.Combine(portDirectory, "forwarded_port");
        var hangPid = Path.Combine(_directory, "hang.pid");
        var childPid = Path.Combine(_directory, "child.pid");
        using var daemon = DaemonProcess.Start(
            topology.ClientNamespace,
            DaemonArgs(
                qbt,
                passwordFile,
                "--port-file", portFile,
                "--hook-timeout", "2",
                "--on-change-command", $"echo $$ > '{hangPid}'; echo hanging; sleep 300",
                "--on-change-command", "echo 'nft: no such table' >&2; exit 3",
                "--on-change-command", $"sleep 300 & echo $! > '{childPid}'; echo left a child",
                "--metrics-addr", "127.0.0.1:9835"));
        using var http = new HttpClient(NamespaceHttpHandler.Create(topology.ClientNamespace)) { BaseAddress = new Uri("http://127.0.0.1:9835"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await daemon.WaitForEventAsync(2012, Bound, containing: $" {Port} ");
            var mapped = System.Diagnostics.Stopwatch.StartNew();
            await daemon.WaitForEventAsync(8001, Bound, containing: $"file:{portFile} now carries port {Port}");

            // The hanging hook is killed with its group at its 2 s timeout; the failing one is counted; the one
            // that left a background child succeeded, and its child was killed with the group.
            await daemon.WaitForEventAsync(8002, Bound, containing: "hook:1 failed to take port");
            await daemon.WaitForEventAsync(8002, Bound, containing: "hook:2 failed to take port");
            await daemon.WaitForEventAsync(8001, Bound, containing: $"hook:3 now carries port {Port}");
            Assert.True(await GoneAsync(await PidAsync(hangPid)), "the hung hook's shell is still alive");
            Assert.True(await GoneAsync(await PidAsync(childPid)), "the hook's background child is still alive");

            // The port file's directory is replaced by a plain file: that sink fails (even for root), nothing else does.
            ReplaceDirectoryWithFile(portDirectory);
            await daemon.WaitForEventAsync(8002, Bound, containing: $"file:{portFile} failed");

            // Meanwhile the loop went on renewing every 2 s, hung hook or not (one renewal of slack), and the client is in sync.
            var metrics = await http.GetStringAsync("/metrics");
            var expected = Math.Floor(mapped.Elapsed.TotalSeconds / 2);
            output.WriteLine($"{Counter(metrics, "proton_port_sync_renewals_total")} renewals {mapped.Elapsed.TotalSeconds:0.0} s after the first mapping");
            Assert.True(Counter(metrics, "proton_port_sync_renewals_total") >= expected, metrics);
            Assert.Contains("proton_port_sync_in_sync 1", metrics, StringComparison.Ordinal);
            var promtool = Shell.Run("promtool", ["check", "metrics"], stdin: metrics);
            Assert.True(promtool.ExitCode == 0 && (promtool.StdErr + promtool.StdOut).Trim().Length == 0, $"promtool: {promtool.StdErr}{promtool.StdOut}");
            Assert.True(Counter(metrics, "proton_port_sync_sink_failures_total{sink=\"hook:2\"}") >= 1, metrics);
            Assert.True(Counter(metrics, "proton_port_sync_sink_failures_total{sink=\"hook:1\"}") >= 1, metrics);
            using (var response = await http.GetAsync("/healthz"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            using (var status = JsonDocument.Parse(await http.GetStringAsync("/status")))
            {
                var sinks = status.RootElement.GetProperty("sinks").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("state").GetString());
                Assert.Equal("in_sync", sinks["qbittorrent"]);
                Assert.Equal("failing", sinks[$"file:{portFile}"]);
                Assert.Equal("failing", sinks["hook:1"]);
                Assert.Equal("failing", sinks["hook:2"]);
                Assert.Equal("in_sync", sinks["hook:3"]);
            }

            Assert.True(await qbt.WaitUntilListeningAsync(Port), qbt.ListeningSockets());
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    private static double Counter(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<int> PidAsync(string file)
    {
        // The hook wrote it before it printed the line the test waited for.
        return int.Parse((await File.ReadAllTextAsync(file)).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls (bounded: 10 s) until the process is gone; the kernel gives no event for another process's death.</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            if (!Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}") || File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").Contains(") Z ", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>
    /// Puts a plain file where <paramref name="directory"/> was. The daemon writes its port files again every cycle and
    /// creates a missing directory, so it can win the race between the delete and the rename (CI saw it once): the
    /// file is made beside it first and renamed into place, a bounded number of tries.
    /// </summary>
    private static void ReplaceDirectoryWithFile(string directory)
    {
        var plain = directory + ".plain";
        File.WriteAllText(plain, "not a directory");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                File.Move(plain, directory);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && attempt < 20)
            {
                // The daemon recreated the directory (or wrote into it) in between: again.
            }
        }
    }
}
