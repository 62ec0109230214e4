using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A real qbittorrent-nox (4.5.2 here) in a fresh namespace with only <c>lo</c>, with a preseeded profile: legal
/// notice accepted, WebUI on 127.0.0.1 with a PBKDF2 password and localhost authentication on, DHT/LSD/PeX/UPnP off,
/// session bound to <c>lo</c>. Reach it with <see cref="CreateHandler"/>. Dispose stops it by PID, deletes the
/// namespace and the profile directory.
/// </summary>
internal sealed partial class QBittorrentInstance : PeerInstance
{
    public const int DefaultWebUiPort = 8080;
    public const int DefaultListenPort = 6881;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ChildProcess? _process;

    private QBittorrentInstance(string username, string? password, int webUiPort, NetworkNamespace? inNamespace, ChrootTree? tree, WebUiCertificate? https)
        : base("qbt", inNamespace, password, tree)
    {
        Username = username;
        WebUiPort = webUiPort;
        Https = https;
    }

    public string Username { get; }

    public int WebUiPort { get; }

    /// <summary>The certificate the WebUI serves HTTPS with (WebUI\HTTPS\*); null: plain HTTP.</summary>
    public WebUiCertificate? Https { get; }

    /// <summary>The WebUI URL as seen from inside <see cref="Namespace"/> (use <see cref="CreateHandler"/>).</summary>
    public Uri BaseUrl => new($"{(Https is null ? "http" : "https")}://127.0.0.1:{WebUiPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>qBittorrent's own log (Application\FileLogger, on by default), complete once qBittorrent has stopped.</summary>
    public string LogFile => Path.Combine(Directory, "qBittorrent", "data", "logs", "qbittorrent.log");

    public bool IsRunning => _process is { HasExited: false };

    public int? Pid => _process?.Pid;

    private string ConfigFile => Path.Combine(Directory, "qBittorrent", "config", "qBittorrent.conf");

    /// <summary>Creates the namespace and profile (--profile; config in qBittorrent/config/qBittorrent.conf), then starts
    /// qBittorrent and waits (bounded) for its WebUI.</summary>
    /// <param name="inNamespace">Run inside this namespace (which the caller owns and deletes) instead of a new one: the
    /// end-to-end tests put qBittorrent beside the daemon in the client namespace.</param>
    /// <param name="tree">Run qBittorrent from this root file system (e.g. Debian 13's 5.1.0) instead of the machine's.</param>
    /// <param name="networkInterface">Session\Interface: the interface the session is bound to; empty = every interface
    /// (still only <c>lo</c> in a test namespace).</param>
    /// <param name="https">Serve the WebUI over HTTPS with this certificate and key (qBittorrent falls back to HTTP,
    /// saying so in its log, when it cannot load them).</param>
    public static Task<QBittorrentInstance> StartAsync(int listenPort = DefaultListenPort, string username = "admin", string? password = null, int webUiPort = DefaultWebUiPort, NetworkNamespace? inNamespace = null, ChrootTree? tree = null, string networkInterface = "lo", WebUiCertificate? https = null)
        => LaunchAsync(new QBittorrentInstance(username, password, webUiPort, inNamespace, tree, https), async q =>
        {
            q.WriteConfig(listenPort, networkInterface);
            await q.StartAsync();
        });

    /// <summary>Starts qBittorrent (after <see cref="Stop"/>) and waits until its WebUI listens.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("qBittorrent is already running");
        }

        _process?.Dispose();
        var home = Path.Combine(Directory, "home");
        System.IO.Directory.CreateDirectory(home);
        // HOME matters: even --version writes under ~/.config.
        // 5.x asks on the terminal unless told the notice is confirmed; 4.5.2 has no such flag (its config says so).
        string[] legal = Tree is null ? [] : ["--confirm-legal-notice"];
        _process = StartProcess("env", [$"HOME={home}", "qbittorrent-nox", $"--profile={Directory}", .. legal]);
        await NamespaceHttpHandler.WaitForStartAsync(Namespace, _process, WebUiPort, StartTimeout);
    }

    /// <summary>Stops qBittorrent by its PID (SIGTERM, so it saves its settings); sessions and bans are lost.</summary>
    public void Stop()
    {
        _process?.Stop(TimeSpan.FromSeconds(10));
    }

    /// <summary>Stops, optionally edits the configured listening port (as a user editing the config would), starts.</summary>
    public async Task RestartAsync(int? listenPort = null)
    {
        Stop();
        if (listenPort is { } port)
        {
            SetConfiguredListenPort(port);
        }

        await StartAsync();
    }

    /// <summary>Rewrites <c>Session\Port</c> in the config; only while stopped (qBittorrent rewrites it on exit).</summary>
    public void SetConfiguredListenPort(int port)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("stop qBittorrent before editing its config");
        }

        var text = File.ReadAllText(ConfigFile);
        var line = $"Session\\Port={port.ToString(CultureInfo.InvariantCulture)}";
        text = SessionPortLine().IsMatch(text)
            ? SessionPortLine().Replace(text, line)
            : text.Replace("[BitTorrent]\n", $"[BitTorrent]\n{line}\n", StringComparison.Ordinal);
        File.WriteAllText(ConfigFile, text);
    }

    protected override void StopProcesses() => _process?.Dispose();

    private void WriteConfig(int listenPort, string networkInterface)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, 100_000, HashAlgorithmName.SHA512, 64);
        var httpsLines = Https is { } tls
            ? $"WebUI\\HTTPS\\Enabled=true\nWebUI\\HTTPS\\CertificatePath={tls.CertificatePath}\nWebUI\\HTTPS\\KeyPath={tls.KeyPath}\n"
            : string.Empty;
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            [LegalNotice]
            Accepted=true

            [BitTorrent]
            Session\Port={listenPort}
            Session\Interface={networkInterface}
            Session\InterfaceName={networkInterface}
            Session\DHTEnabled=false
            Session\LSDEnabled=false
            Session\PeXEnabled=false

            [Network]
            PortForwardingEnabled=false

            [Preferences]
            Connection\UPnP=false
            Connection\ResolvePeerCountries=false
            General\UseRandomPort=false
            WebUI\Address=127.0.0.1
            WebUI\Port={WebUiPort}
            WebUI\UseUPnP=false
            WebUI\Username={Username}
            WebUI\Password_PBKDF2="@ByteArray({Convert.ToBase64String(salt)}:{Convert.ToBase64String(key)})"
            WebUI\LocalHostAuth=true
            {httpsLines}
            """);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(ConfigFile)!);
        File.WriteAllText(ConfigFile, config);
    }

    [GeneratedRegex(@"^Session\\Port=\d+$", RegexOptions.Multiline)]
    private static partial Regex SessionPortLine();
}
