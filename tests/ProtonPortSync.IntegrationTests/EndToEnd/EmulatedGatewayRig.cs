using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Demo;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// A namespace with only <c>lo</c> holding the demo's Proton gateway emulator (in this process, with a socket made in
/// the namespace) and a real qbittorrent-nox 4.5.2, for running the daemon beside them with short timings. Dispose
/// stops qBittorrent by PID, the emulator, and deletes the namespace and directory.
/// </summary>
internal sealed class EmulatedGatewayRig : IAsyncDisposable
{
    private EmulatedGatewayRig(NetworkNamespace ns, ProtonGatewayEmulator gateway, string directory)
    {
        Namespace = ns;
        Gateway = gateway;
        Directory = directory;
    }

    public NetworkNamespace Namespace { get; }

    public ProtonGatewayEmulator Gateway { get; }

    /// <summary>A temporary directory for the test's files (certificates).</summary>
    public string Directory { get; }

    public QBittorrentInstance QBittorrent { get; private set; } = null!;

    /// <param name="purpose">Part of the namespace's name.</param>
    /// <param name="https">Given the rig's directory, the certificate the WebUI serves; null: plain HTTP.</param>
    public static async Task<EmulatedGatewayRig> StartAsync(string purpose, Func<string, WebUiCertificate>? https = null)
    {
        var ns = NetworkNamespace.Create(purpose);
        var directory = System.IO.Directory.CreateTempSubdirectory($"pps-{purpose}-").FullName;
        ProtonGatewayEmulator? gateway = null;
        try
        {
            var socket = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            gateway = ProtonGatewayEmulator.Start(
                TimeProvider.System,
                new ProtonGatewayEmulatorOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Seed = 13 },
                NullLogger.Instance,
                unboundSocket: socket);
            var rig = new EmulatedGatewayRig(ns, gateway, directory);
            rig.QBittorrent = await QBittorrentInstance.StartAsync(inNamespace: ns, https: https?.Invoke(directory));
            return rig;
        }
        catch
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            ns.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The daemon's arguments against this rig: renew every second, the emulator's request (internal port 0).</summary>
    public string[] DaemonArgs(string command, params string[] extra) =>
    [
        command,
        "--gateway", Gateway.LocalEndPoint.ToString(),
        "--bind-address", "127.0.0.1",
        "--internal-port", "0",
        "--renew-interval", "1",
        "--request-timeout", "1",
        "--recovery", "none",
        "--qbt-url", QBittorrent.BaseUrl.ToString(),
        "--qbt-password-file", QBittorrent.WritePasswordFile(),
        .. extra,
    ];

    public async ValueTask DisposeAsync()
    {
        QBittorrent?.Dispose();
        await Gateway.DisposeAsync();
        Namespace.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
