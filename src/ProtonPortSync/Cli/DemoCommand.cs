using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Demo;
using ProtonPortSync.Hosting;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients.PortFile;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Cli;

/// <summary>
/// `demo`: the real daemon against the built-in ProtonVPN-like gateway on loopback, which picks a random port and
/// changes it now and then. Syncs into qBittorrent when --qbt-url is given, else into a port file, and prints each
/// change for a person.
/// </summary>
internal static class DemoCommand
{
    public static readonly TimeSpan DemoRenewInterval = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(DaemonOptions parsed, DaemonOptionsParser parser, TimeSpan changeEvery, int durationSeconds, TextWriter stdout, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await using var gateway = ProtonGatewayEmulator.Start(time, new ProtonGatewayEmulatorOptions { ChangeEvery = changeEvery }, loggers.CreateLogger<ProtonGatewayEmulator>());
        // qBittorrent when --qbt-url is given, else the port file named by --port-file (or one in /tmp).
        var client = parser.WasGiven(QBittorrentModule.Url) && parsed.Client is { } qbt ? qbt
            : parsed.Client is { Name: PortFileClient.ClientName } file ? file
            : PortFileModule.For((parsed.PortFiles.Count > 0 ? parsed.PortFiles[0] : null) ?? Path.Combine(Path.GetTempPath(), "proton-port-sync-demo", "forwarded_port"));
        var options = parsed with
        {
            Gateway = gateway.LocalEndPoint,
            BindAddress = IPAddress.Loopback,
            Interface = null,
            InternalPort = 0,
            SuggestedPort = 1,
            RenewInterval = parser.WasGiven(OptionSpecs.RenewInterval) ? parsed.RenewInterval : DemoRenewInterval,
            Client = client,
            PortFiles = [.. parsed.PortFiles.Where(p => !client.WritesPortFile(p))],
        };

        var target = client.Target;
        await stdout.WriteLineAsync($"demo: a ProtonVPN-like NAT-PMP gateway is listening on {gateway.LocalEndPoint}; it grants 60 s leases and changes the port every {changeEvery.TotalSeconds:0} s.");
        await stdout.WriteLineAsync($"demo: the daemon renews every {options.RenewInterval.TotalSeconds:0} s and keeps {target} on the forwarded port. Ctrl+C stops it (the mappings are then deleted).");

        using var duration = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds > 0)
        {
            duration.CancelAfter(TimeSpan.FromSeconds(durationSeconds));
        }

        var printer = new DemoPrinter(stdout, time, target);
        var exit = await DaemonHost.RunAsync(options, loggers, time, duration.Token, new EmulatorRestart(gateway), [printer]);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"demo: stopped after {printer.Changes} port change(s); the gateway saw {gateway.RequestCount(NatPmpOpcode.MapUdp)} UDP and {gateway.RequestCount(NatPmpOpcode.MapTcp)} TCP requests."));
        return exit;
    }

    /// <summary>The demo's recovery: restart the emulated gateway, as restarting the tunnel would.</summary>
    private sealed class EmulatorRestart(ProtonGatewayEmulator gateway) : IRecoveryAction
    {
        public string Description => "restart the emulated gateway";

        public Task RecoverAsync(CancellationToken cancellationToken)
        {
            gateway.SetUnresponsive(false);
            gateway.Restart();
            return Task.CompletedTask;
        }
    }

    /// <summary>Prints each change as a person would want to read it.</summary>
    private sealed class DemoPrinter(TextWriter stdout, TimeProvider time, string target) : ISyncObserver
    {
        public int Changes { get; private set; }

        public void PortChanged(int? previousPort, int port)
        {
            Changes++;
            Say(previousPort is null ? $"the gateway forwards port {port}" : $"the gateway moved the forwarded port from {previousPort} to {port}");
        }

        public void ClientUpdated(ClientUpdateOutcome outcome)
        {
            if (outcome == ClientUpdateOutcome.Success)
            {
                Say($"{target} updated and read back");
            }
            else
            {
                Say($"{target} could not be updated ({outcome}); retrying with backoff");
            }
        }

        public void GatewayReset() => Say("the gateway lost its mappings (epoch reset); mapped again");

        public void RecoveryRan(bool succeeded) => Say("the gateway stopped answering; restarted it");

        private void Say(string text) => stdout.WriteLine($"{time.GetLocalNow():HH:mm:ss}  {text}");
    }
}
