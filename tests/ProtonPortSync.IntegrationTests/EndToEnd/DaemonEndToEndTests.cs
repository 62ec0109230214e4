using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// The whole daemon, as a process, in the policy-routing topology: miniupnpd in the gateway namespace; the daemon and
/// a real qbittorrent-nox 4.5.2 in the client namespace (wg0 = 10.2.0.2/32, "from 10.2.0.2 lookup 51820", a LAN
/// default route in main), the daemon bound to the tunnel's address.
/// </summary>
public sealed class DaemonEndToEndTests(ITestOutputHelper output)
{
    /// <summary>miniupnpd refuses internal port 0, so the daemon sends a real one and suggests the same external port.</summary>
    private const int Port = 40000;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static string[] DaemonArgs(string passwordFile, Uri qbtUrl, params string[] extra)
        => DaemonProcess.RunArgs(Port, requestTimeout: "1", ["--qbt-url", qbtUrl.ToString(), "--qbt-password-file", passwordFile, .. extra]);

    [Fact]
    public async Task Daemon_PolicyRouting_KeepsQBittorrentOnTheMappedPortThroughRestartsAndReleasesOnSigterm()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace);
        var passwordFile = qbt.WritePasswordFile();
        using var daemon = DaemonProcess.Start(topology.ClientNamespace, DaemonArgs(passwordFile, qbt.BaseUrl, "--recovery", "none"));
        try
        {
            // 1. First cycle: mapped, set, read back; qBittorrent really listens on it.
            await daemon.WaitForEventAsync(2012, Bound, containing: $" {Port} ");
            Assert.True(await qbt.WaitUntilListeningAsync(Port), qbt.ListeningSockets());
            Assert.Contains(topology.ReadLeases(), l => l.ExternalPort == Port && l.Protocol == NatPmpProtocol.Tcp);

            // 2. The gateway restarts and loses its state; someone else takes our port first: the port changes.
            await GatewayRotation.RotateAsync(topology, Port);

            var moved = await daemon.WaitForEventAsync(2002, Bound, containing: $"(was {Port})");
            var newPort = topology.ReadLeases().Single(l => l.InternalPort == Port && l.Protocol == NatPmpProtocol.Tcp).ExternalPort;
            Assert.NotEqual(Port, newPort);
            Assert.Contains(newPort.ToString(CultureInfo.InvariantCulture), moved, StringComparison.Ordinal);
            Assert.True(await qbt.WaitUntilListeningAsync(newPort), qbt.ListeningSockets());

            // 3. qBittorrent restarted with its old port (config edited): repaired within one cycle.
            await qbt.RestartAsync(listenPort: 6881);
            Assert.True(await qbt.WaitUntilListeningAsync(newPort), qbt.ListeningSockets());

            // 4. SIGTERM: the mappings are deleted and the daemon exits 0 within two seconds.
            var stopwatch = Stopwatch.StartNew();
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
            output.WriteLine($"{DaemonProcess.Describe()} stopped in {stopwatch.ElapsedMilliseconds} ms");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"stopping took {stopwatch.Elapsed}");
            Assert.DoesNotContain(topology.ReadLeases(), l => l.InternalPort == Port);
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    [Fact]
    public async Task Daemon_GatewayDropped_RestartsWireGuardOverDbusAfterMaxFailuresThenRebindsQBittorrent()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, inNamespace: topology.ClientNamespace);
        await using var bus = await PrivateDbus.StartAsync();
        using var systemd = await PrivateDbusSystemdStandIn.StartAsync(bus.Address);
        var passwordFile = qbt.WritePasswordFile();
        using var daemon = DaemonProcess.Start(
            topology.ClientNamespace,
            DaemonArgs(passwordFile, qbt.BaseUrl, "--max-failures", "2", "--recovery-cooldown", "1", "--wg-unit", "wg-quick@proton.service"),
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address });
        try
        {
            await daemon.WaitForEventAsync(2012, Bound, containing: $" {Port} ");

            // Renewals every 2 s, each bounded by 1 s, 2 s apart after a failure, 2 failures: the restart comes at
            // most 2 + 1 + 2 + 1 = 6 s after the gateway goes silent. Allow 10 s for a loaded machine.
            topology.DropNatPmp();
            var dropped = Stopwatch.StartNew();
            await systemd.WaitForFirstCallAsync(TimeSpan.FromSeconds(15));
            var detection = dropped.Elapsed;
            output.WriteLine($"recovery after {detection.TotalSeconds:0.0} s");
            Assert.Equal(("wg-quick@proton.service", "replace"), Assert.Single(systemd.Calls));
            Assert.True(detection < TimeSpan.FromSeconds(10), $"recovery took {detection}");
            Assert.True(detection > TimeSpan.FromSeconds(1.5), $"recovery after {detection}: before two bounded failures could have happened");

            // The "tunnel" comes back: the daemon maps again and makes qBittorrent rebind the same port.
            topology.ClearFaults();
            await daemon.WaitForEventAsync(2013, Bound);
            Assert.True(await qbt.WaitUntilListeningAsync(Port), qbt.ListeningSockets());
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }
}
