using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Demo;
using ProtonPortSync.Hosting;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Recovery;
using ProtonPortSync.TorrentClients.PortFile;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Cli;

/// <summary>
/// `demo`: the real daemon against the built-in ProtonVPN-like gateway on loopback, which picks a random port and
/// changes it now and then. Syncs into qBittorrent when --qbt-url is given, else into a port file, and prints each
/// change for a person. On stop the port files are removed: their port's mapping was just deleted.
/// </summary>
internal static class DemoCommand
{
    public static readonly TimeSpan DemoRenewInterval = TimeSpan.FromSeconds(5);

    public static string DefaultPortFile => Path.Combine(Path.GetTempPath(), "proton-port-sync-demo", "forwarded_port");

    public static async Task<int> RunAsync(DaemonOptions parsed, DaemonOptionsParser parser, DemoSettings demo, TextWriter stdout, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var emulatorOptions = new ProtonGatewayEmulatorOptions { ChangeEvery = demo.ChangeEvery, InternalPortReply = demo.InternalPortReply };
        await using var gateway = ProtonGatewayEmulator.Start(time, emulatorOptions, loggers.CreateLogger<ProtonGatewayEmulator>());

        // qBittorrent when --qbt-url is given, else the first --port-file (or one in /tmp) plays the client.
        var portFile = parsed.PortFiles.Count > 0 ? parsed.PortFiles[0] : DefaultPortFile;
        var client = parser.WasGiven(QBittorrentModule.Url) && parsed.Client is { } qbt ? qbt : PortFileModule.For(portFile);
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
        var written = new List<string>(options.PortFiles);
        if (client.WritesPortFile(portFile))
        {
            written.Insert(0, portFile);
        }

        var target = client.Target;
        await stdout.WriteLineAsync($"demo: a ProtonVPN-like NAT-PMP gateway is listening on {gateway.LocalEndPoint}; it grants 60 s leases and changes the port every {demo.ChangeEvery.TotalSeconds:0} s.");
        await stdout.WriteLineAsync($"demo: the daemon renews every {options.RenewInterval.TotalSeconds:0} s and keeps {target} on the forwarded port. Ctrl+C stops it (the mappings are then deleted).");

        using var duration = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (demo.Duration is { } stopAfter)
        {
            duration.CancelAfter(stopAfter);
        }

        var printer = new DemoPrinter(stdout, time, target);
        var exit = await DaemonHost.RunAsync(options, loggers, time, duration.Token, new EmulatorRestart(gateway), [printer]);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"demo: stopped after {printer.Changes} port change(s); the gateway saw {gateway.RequestCount(NatPmpOpcode.MapUdp)} UDP and {gateway.RequestCount(NatPmpOpcode.MapTcp)} TCP requests."));
        await RemovePortFilesAsync(written, stdout);
        return exit;
    }

    /// <summary>
    /// A port file left behind would name a port whose mapping was deleted (and whose gateway is gone with the demo):
    /// anything reading it later would open a dead port. Removed, and said so.
    /// </summary>
    private static async Task RemovePortFilesAsync(IEnumerable<string> files, TextWriter stdout)
    {
        foreach (var file in files.Where(File.Exists))
        {
            try
            {
                File.Delete(file);
                await stdout.WriteLineAsync($"demo: removed the port file {file}: the mapping of the port it held was deleted.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stdout.WriteLineAsync($"demo: could not remove the port file {file} ({ex.Message}); the port it holds is no longer forwarded.");
            }
        }
    }

    /// <summary>The demo's recovery: restart the emulated gateway, as restarting the tunnel would.</summary>
    private sealed class EmulatorRestart(ProtonGatewayEmulator gateway) : IRecoveryAction
    {
        public string Description => "restart the emulated gateway";

        public Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken)
        {
            gateway.SetUnresponsive(false);
            gateway.Restart();
            return Task.CompletedTask;
        }
    }
}
