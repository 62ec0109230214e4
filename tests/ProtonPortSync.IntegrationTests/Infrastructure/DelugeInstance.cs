using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A real deluged + deluge-web (2.0.3 here), both in one fresh namespace with only <c>lo</c> (Deluge sends SSDP/PCP at
/// start) or the caller's, with a preseeded config directory: core.conf (listen on 127.0.0.1, UPnP/NAT-PMP/DHT/LSD/random port off),
/// web.conf (password as sha1(salt + password), Web UI on 127.0.0.1) and auth (the local client deluge-web uses).
/// Both run with <c>-q</c> (Python 3.11 otherwise floods tracebacks). Dispose stops both by PID and deletes all.
/// </summary>
internal sealed class DelugeInstance : PeerInstance
{
    public const int WebPort = 8112;
    public const int DaemonPort = 58846;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private ChildProcess? _daemon;
    private ChildProcess? _web;

    private DelugeInstance(ChrootTree? tree, NetworkNamespace? inNamespace)
        : base("deluge", inNamespace, password: null, tree)
    {
    }

    public Uri Url { get; } = new($"http://127.0.0.1:{WebPort.ToString(CultureInfo.InvariantCulture)}/json");

    private string CoreConf => Path.Combine(Directory, "core.conf");

    /// <param name="tree">Run both from this root file system (e.g. Debian 13's 2.2.0) instead of the machine's.</param>
    /// <param name="inNamespace">Run inside this namespace (which the caller owns and deletes), e.g. beside the daemon under test.</param>
    public static Task<DelugeInstance> StartAsync(int listenPort, ChrootTree? tree = null, NetworkNamespace? inNamespace = null) => LaunchAsync(new DelugeInstance(tree, inNamespace), async d =>
    {
        d.WriteConfig(listenPort);
        await d.StartDaemonAsync();
        await d.StartWebAsync();
    });

    /// <summary>Starts deluged and waits (bounded) until it accepts deluge-web's connection.</summary>
    public async Task StartDaemonAsync()
    {
        _daemon?.Dispose();
        _daemon = StartProcess("deluged", ["-d", "-q", "-c", Directory, "-u", "127.0.0.1", "-p", DaemonPort.ToString(CultureInfo.InvariantCulture), "-i", "127.0.0.1"]);
        await WaitForListenerAsync(_daemon, DaemonPort);
    }

    /// <summary>Starts deluge-web (sessions start empty) and waits (bounded) until its JSON-RPC listens.</summary>
    public async Task StartWebAsync()
    {
        _web?.Dispose();
        _web = StartProcess("deluge-web", ["-d", "-q", "-c", Directory, "-i", "127.0.0.1", "-p", WebPort.ToString(CultureInfo.InvariantCulture)]);
        await WaitForListenerAsync(_web, WebPort);
    }

    /// <summary>Stops deluged by its PID (SIGTERM: it saves core.conf); deluge-web keeps running, disconnected.</summary>
    public void StopDaemon() => _daemon?.Stop(TimeSpan.FromSeconds(10));

    public void StopWeb() => _web?.Stop(TimeSpan.FromSeconds(10));

    /// <summary>Stops deluged, optionally edits listen_ports in core.conf (as a user would), and starts it again.</summary>
    public async Task RestartDaemonAsync(int? listenPort = null)
    {
        StopDaemon();
        if (listenPort is { } port)
        {
            EditConfig(CoreConf, settings => settings["listen_ports"] = new JsonArray(port, port));
        }

        await StartDaemonAsync();
    }

    /// <summary>
    /// Restarts deluge-web. It keeps its sessions in web.conf across a restart (measured), so
    /// <paramref name="forgetSessions"/> empties them while it is stopped, as an expiry would.
    /// </summary>
    public async Task RestartWebAsync(bool forgetSessions)
    {
        StopWeb();
        if (forgetSessions)
        {
            EditConfig(Path.Combine(Directory, "web.conf"), settings => settings["sessions"] = new JsonObject());
        }

        await StartWebAsync();
    }

    protected override void StopProcesses()
    {
        _web?.Dispose();
        _daemon?.Dispose();
    }

    /// <summary>Edits a Deluge config file: two JSON objects back to back, a version header and then the settings.</summary>
    private static void EditConfig(string path, Action<JsonObject> edit)
    {
        var text = File.ReadAllText(path);
        var split = text.IndexOf('}', StringComparison.Ordinal) + 1;
        var settings = JsonNode.Parse(text[split..])!.AsObject();
        edit(settings);
        File.WriteAllText(path, text[..split] + settings.ToJsonString());
    }

    private Task WaitForListenerAsync(ChildProcess process, int port) => NamespaceHttpHandler.WaitForStartAsync(Namespace, process, port, StartTimeout);

    private void WriteConfig(int listenPort)
    {
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
#pragma warning disable CA5350 // deluge-web stores sha1(salt + password); the test must write what it reads.
        var sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(salt + Password)));
#pragma warning restore CA5350
        var web = new JsonObject
        {
            ["pwd_salt"] = salt,
            ["pwd_sha1"] = sha1,
            ["session_timeout"] = 3600,
            ["default_daemon"] = string.Empty,
            ["port"] = WebPort,
            ["interface"] = "127.0.0.1",
            ["https"] = false,
            ["first_login"] = false,
        };
        var download = Path.Combine(Directory, "downloads");
        var core = new JsonObject
        {
            ["listen_ports"] = new JsonArray(listenPort, listenPort),
            ["random_port"] = false,
            ["listen_random_port"] = null,
            ["listen_use_sys_port"] = false,
            ["listen_interface"] = "127.0.0.1",
            ["outgoing_interface"] = string.Empty,
            ["upnp"] = false,
            ["natpmp"] = false,
            ["dht"] = false,
            ["lsd"] = false,
            ["utpex"] = false,
            ["new_release_check"] = false,
            ["random_outgoing_ports"] = true,
            ["download_location"] = download,
            ["move_completed_path"] = download,
            ["torrentfiles_location"] = download,
            ["autoadd_location"] = download,
            ["plugins_location"] = Path.Combine(Directory, "plugins"),
            ["enabled_plugins"] = new JsonArray(),
        };
        File.WriteAllText(Path.Combine(Directory, "web.conf"), """{"file": 2, "format": 1}""" + web.ToJsonString());
        File.WriteAllText(CoreConf, """{"file": 1, "format": 1}""" + core.ToJsonString());
        File.WriteAllText(Path.Combine(Directory, "auth"), $"localclient:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}:10\n");
    }
}
