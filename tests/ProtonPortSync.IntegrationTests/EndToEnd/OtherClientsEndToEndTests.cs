using System.Globalization;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;
using ProtonPortSync.TorrentClients.Deluge;
using ProtonPortSync.TorrentClients.Transmission;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// The whole daemon, as a process, with each HTTP client other than qBittorrent: miniupnpd in the gateway namespace;
/// the daemon and a real transmission-daemon 3.00 or deluged + deluge-web 2.0.3 in the client namespace of the
/// policy-routing topology. Each test covers the first sync, a drift after the client restarts with another port,
/// and the release on SIGTERM. The adapters' own integration tests cover their calls; these cover the wiring from
/// flags to a client that really listens on the forwarded port.
/// </summary>
public sealed class OtherClientsEndToEndTests(ITestOutputHelper output)
{
    private const int Port = 40000;
    private const int OldPort = 51413;
    private const int DriftPort = 51414;

    /// <summary>deluge-web answers its first calls slowly (Python start, the daemon connection): more than the loop's usual 1 s.</summary>
    private const string RequestTimeout = "5";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static string[] DaemonArgs(params string[] client) => DaemonProcess.RunArgs(Port, RequestTimeout, ["--recovery", "none", .. client]);

    [Fact]
    public async Task Daemon_Transmission_KeepsThePeerPortOnTheMappedPortThroughARestartAndReleasesOnSigterm()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var transmission = await TransmissionInstance.StartAsync(OldPort, inNamespace: topology.ClientNamespace);
        var passwordFile = transmission.WritePasswordFile();
        using var daemon = DaemonProcess.Start(topology.ClientNamespace, DaemonArgs(
            "--client", "transmission",
            "--transmission-url", transmission.RpcUrl.ToString(),
            "--transmission-user", TransmissionInstance.Username,
            "--transmission-password-file", passwordFile));
        try
        {
            await AssertKeptThroughRestartAsync(daemon, topology, transmission, TransmissionClient.ClientName, () => transmission.RestartAsync(DriftPort));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    [Fact]
    public async Task Daemon_Deluge_KeepsTheListenPortOnTheMappedPortThroughARestartAndReleasesOnSigterm()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var deluge = await DelugeInstance.StartAsync(OldPort, inNamespace: topology.ClientNamespace);
        var passwordFile = deluge.WritePasswordFile();
        using var daemon = DaemonProcess.Start(topology.ClientNamespace, DaemonArgs(
            "--client", "deluge",
            "--deluge-url", deluge.Url.ToString(),
            "--deluge-password-file", passwordFile));
        try
        {
            await AssertKeptThroughRestartAsync(daemon, topology, deluge, DelugeClient.ClientName, () => deluge.RestartDaemonAsync(DriftPort));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    private async Task AssertKeptThroughRestartAsync(DaemonProcess daemon, GatewayTopology topology, PeerInstance client, string clientName, Func<Task> restartWithDriftPort)
    {
        // 1. First cycle: the client moves from its configured port to the mapped one and really listens there.
        await daemon.WaitForEventAsync(2011, Bound, containing: $"listens on {OldPort.ToString(CultureInfo.InvariantCulture)},");
        await daemon.WaitForEventAsync(2012, Bound, containing: $" {Port.ToString(CultureInfo.InvariantCulture)} ");
        Assert.True(await client.WaitUntilListeningAsync(Port), client.ListeningSockets());
        Assert.Contains(topology.ReadLeases(), l => l.ExternalPort == Port && l.Protocol == NatPmpProtocol.Tcp);

        // 2. The client restarts with another port in its config (a user's edit): the next cycle repairs the drift.
        await restartWithDriftPort();
        var drift = await daemon.WaitForEventAsync(2011, Bound, containing: $"listens on {DriftPort.ToString(CultureInfo.InvariantCulture)},");
        Assert.Contains(clientName, drift, StringComparison.Ordinal);
        Assert.True(await client.WaitUntilListeningAsync(Port), client.ListeningSockets());
        Assert.True(await client.WaitUntilListeningAsync(DriftPort, listening: false), client.ListeningSockets());

        // 3. SIGTERM: the mappings are deleted and the daemon exits 0.
        Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(topology.ReadLeases(), l => l.InternalPort == Port);
        output.WriteLine($"{DaemonProcess.Describe()} kept {clientName} on {Port}");
    }
}
