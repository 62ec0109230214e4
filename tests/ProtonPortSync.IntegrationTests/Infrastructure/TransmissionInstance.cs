using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A real transmission-daemon (3.00 here) in a fresh namespace with only <c>lo</c> (or the caller's), with a preseeded settings.json:
/// RPC on 127.0.0.1 with authentication and a 127.0.0.1 whitelist, peers bound to 127.0.0.1, port forwarding, DHT,
/// LPD, PEX and uTP off, no random port. Reach it with <see cref="CreateHandler"/>. Dispose stops it by PID, deletes
/// the namespace and the config directory.
/// </summary>
internal sealed class TransmissionInstance : PeerInstance
{
    public const int RpcPort = 9091;
    public const string Username = "pps";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ChildProcess? _process;

    private TransmissionInstance(ChrootTree? tree, NetworkNamespace? inNamespace)
        : base("tr", inNamespace, password: null, tree)
    {
    }

    public Uri RpcUrl { get; } = new($"http://127.0.0.1:{RpcPort.ToString(CultureInfo.InvariantCulture)}/transmission/rpc");

    public bool IsRunning => _process is { HasExited: false };

    private string SettingsFile => Path.Combine(Directory, "settings.json");

    private string LogFile => Path.Combine(Directory, "transmission.log");

    /// <summary>Creates the namespace and the config (-g: settings.json, the log, downloads), starts, waits for the RPC.</summary>
    /// <param name="tree">Run the daemon from this root file system (e.g. Debian 13's 4.1.0~beta2) instead of the machine's.</param>
    /// <param name="inNamespace">Run inside this namespace (which the caller owns and deletes), e.g. beside the daemon under test.</param>
    public static Task<TransmissionInstance> StartAsync(int peerPort, ChrootTree? tree = null, NetworkNamespace? inNamespace = null) => LaunchAsync(new TransmissionInstance(tree, inNamespace), async t =>
    {
        t.WriteSettings(peerPort);
        await t.StartAsync();
    });

    /// <summary>Starts the daemon (after <see cref="Stop"/>) and waits (bounded) until its RPC listens.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("transmission-daemon is already running");
        }

        _process?.Dispose();
        _process = StartProcess("transmission-daemon", ["-f", "-g", Directory, "-e", LogFile]);
        await NamespaceHttpHandler.WaitForStartAsync(Namespace, _process, RpcPort, StartTimeout, Log);
    }

    /// <summary>Stops the daemon by its PID (SIGTERM: it writes settings.json on a clean exit); the session id changes.</summary>
    public void Stop() => _process?.Stop(TimeSpan.FromSeconds(10));

    /// <summary>Stops, optionally edits the peer port in settings.json (as a user would), and starts again.</summary>
    public async Task RestartAsync(int? peerPort = null)
    {
        Stop();
        if (peerPort is { } port)
        {
            var settings = JsonNode.Parse(File.ReadAllText(SettingsFile))!.AsObject();
            settings["peer-port"] = port;
            File.WriteAllText(SettingsFile, settings.ToJsonString());
        }

        await StartAsync();
    }

    protected override void StopProcesses() => _process?.Dispose();

    private string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;

    private void WriteSettings(int peerPort)
    {
        var settings = new JsonObject
        {
            ["rpc-enabled"] = true,
            ["rpc-bind-address"] = "127.0.0.1",
            ["rpc-port"] = RpcPort,
            ["rpc-authentication-required"] = true,
            ["rpc-username"] = Username,
            ["rpc-password"] = Password, // Transmission salts and hashes a plain value on its first start
            ["rpc-whitelist-enabled"] = true,
            ["rpc-whitelist"] = "127.0.0.1",
            ["rpc-host-whitelist-enabled"] = false,
            ["bind-address-ipv4"] = "127.0.0.1",
            ["bind-address-ipv6"] = "::1",
            ["peer-port"] = peerPort,
            ["peer-port-random-on-start"] = false,
            ["port-forwarding-enabled"] = false,
            ["dht-enabled"] = false,
            ["lpd-enabled"] = false,
            ["pex-enabled"] = false,
            ["utp-enabled"] = false,
            ["download-dir"] = Path.Combine(Directory, "downloads"),
            ["incomplete-dir-enabled"] = false,
            ["message-level"] = 2,
        };
        File.WriteAllText(SettingsFile, settings.ToJsonString());
    }
}
