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
internal sealed partial class QBittorrentInstance : IDisposable
{
    public const int DefaultWebUiPort = 8080;
    public const int DefaultListenPort = 6881;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ChildProcess? _process;

    private QBittorrentInstance(NetworkNamespace ns, string directory, string username, string password, int webUiPort)
    {
        Namespace = ns;
        Directory = directory;
        Username = username;
        Password = password;
        WebUiPort = webUiPort;
    }

    public NetworkNamespace Namespace { get; }

    private bool _ownsNamespace = true;

    /// <summary>The profile directory (<c>--profile</c>); config in qBittorrent/config/qBittorrent.conf.</summary>
    public string Directory { get; }

    public string Username { get; }

    public string Password { get; }

    public int WebUiPort { get; }

    /// <summary>The WebUI URL as seen from inside <see cref="Namespace"/> (use <see cref="CreateHandler"/>).</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{WebUiPort.ToString(CultureInfo.InvariantCulture)}");

    public bool IsRunning => _process is { HasExited: false };

    public int? Pid => _process?.Pid;

    private string ConfigFile => Path.Combine(Directory, "qBittorrent", "config", "qBittorrent.conf");

    /// <summary>Creates the namespace and profile, then starts qBittorrent and waits (bounded) for its WebUI.</summary>
    /// <param name="inNamespace">Run inside this namespace (which the caller owns and deletes) instead of a new one: the
    /// end-to-end tests put qBittorrent beside the daemon in the client namespace.</param>
    public static async Task<QBittorrentInstance> StartAsync(int listenPort = DefaultListenPort, string username = "admin", string? password = null, int webUiPort = DefaultWebUiPort, NetworkNamespace? inNamespace = null)
    {
        var ns = inNamespace ?? NetworkNamespace.Create("qbt");
        var directory = System.IO.Directory.CreateTempSubdirectory("pps-qbt-").FullName;
        var instance = new QBittorrentInstance(ns, directory, username, password ?? "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), webUiPort) { _ownsNamespace = inNamespace is null };
        try
        {
            instance.WriteConfig(listenPort);
            await instance.StartAsync();
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

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
        _process = Namespace.Start("env", [$"HOME={home}", "qbittorrent-nox", $"--profile={Directory}"]);
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

    /// <summary>Writes a 0600 password file (the right password plus a newline unless told otherwise); returns its path.</summary>
    public string WritePasswordFile(string? content = null)
    {
        var path = Path.Combine(Directory, "password-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        File.WriteAllText(path, content ?? Password + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>An HTTP handler whose sockets live in <see cref="Namespace"/>; cookies are left to the client under test.</summary>
    public SocketsHttpHandler CreateHandler() => NamespaceHttpHandler.Create(Namespace);

    /// <summary>True when <c>ss -lnt</c> in the namespace shows qBittorrent's peer listener <c>127.0.0.1%lo:port</c>.</summary>
    public bool IsListeningOn(int port) => ListeningSockets().Contains($"127.0.0.1%lo:{port.ToString(CultureInfo.InvariantCulture)} ", StringComparison.Ordinal);

    /// <summary>Polls (bounded: 100 tries, 50 ms apart) until the peer listener on <paramref name="port"/> is (or is not) there.</summary>
    public Task<bool> WaitUntilListeningAsync(int port, bool listening = true) => NamespaceHttpHandler.WaitUntilListeningAsync(Namespace, port, listening);

    /// <summary>The output of <c>ss -lnt</c> inside the namespace.</summary>
    public string ListeningSockets() => Namespace.Exec("ss", "-lnt");

    public void Dispose()
    {
        _process?.Dispose();
        if (_ownsNamespace)
        {
            Namespace.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    private void WriteConfig(int listenPort)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, 100_000, HashAlgorithmName.SHA512, 64);
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            [LegalNotice]
            Accepted=true

            [BitTorrent]
            Session\Port={listenPort}
            Session\Interface=lo
            Session\InterfaceName=lo
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

            """);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(ConfigFile)!);
        File.WriteAllText(ConfigFile, config);
    }

    [GeneratedRegex(@"^Session\\Port=\d+$", RegexOptions.Multiline)]
    private static partial Regex SessionPortLine();
}
