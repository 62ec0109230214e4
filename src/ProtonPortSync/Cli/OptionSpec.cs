namespace ProtonPortSync.Cli;

/// <summary>
/// One command-line flag: its name, the environment variable that stands in for it (the original daemon's names
/// where it had one), its default, and its help text. The table is the single source for parsing, help and docs.
/// </summary>
internal sealed record OptionSpec(string Name, string EnvironmentVariable, string? DefaultValue, string Description, bool IsFlag = false);

/// <summary>Every flag the daemon, probe, doctor and demo understand.</summary>
internal static class OptionSpecs
{
    public static readonly OptionSpec Gateway = new("--gateway", "NATPMP_GATEWAY", "10.2.0.1", "NAT-PMP gateway address (IPv4, optionally :port; default port 5351).");
    public static readonly OptionSpec BindAddress = new("--bind-address", "NATPMP_BIND_ADDRESS", "10.2.0.2", "Local address the NAT-PMP socket is bound to: the tunnel's address (needed under policy routing).");
    public static readonly OptionSpec Interface = new("--interface", "NATPMP_INTERFACE", null, "Bind to this interface (its IPv4 address, and SO_BINDTODEVICE) instead of --bind-address.");
    public static readonly OptionSpec InternalPort = new("--internal-port", "NATPMP_INTERNAL_PORT", "0", "Internal port sent in mapping requests (ProtonVPN documents 0; standards gateways need a real port).");
    public static readonly OptionSpec SuggestedPort = new("--suggested-port", "NATPMP_SUGGESTED_PORT", "1", "Suggested external port of the first request (ProtonVPN documents 1); renewals suggest the granted port.");
    public static readonly OptionSpec Lifetime = new("--lifetime", "NATPMP_LIFETIME", "60", "Requested mapping lifetime in seconds (ProtonVPN grants 60).");
    public static readonly OptionSpec RequestTimeout = new("--request-timeout", "NATPMP_REQUEST_TIMEOUT", "5", "Seconds one renewal (UDP and TCP) may take, retransmissions included; also bounded by the lease left.");
    public static readonly OptionSpec RenewInterval = new("--renew-interval", "RENEW_INTERVAL", "45", "Seconds between renewals (at most half the granted lifetime is used); 1 up to below the lifetime.");
    public static readonly OptionSpec MaxFailures = new("--max-failures", "MAX_FAILURES", "3", "Consecutive failed renewals before the recovery action runs.");
    public static readonly OptionSpec Client = new("--client", "TORRENT_CLIENT", "qbittorrent", "Torrent client to keep in sync: qbittorrent, transmission, deluge, or file (writes the port to --port-file).");
    public static readonly OptionSpec QbtUrl = new("--qbt-url", "QBT_URL", "http://127.0.0.1:8080", "qBittorrent WebUI URL.");
    public static readonly OptionSpec QbtUser = new("--qbt-user", "QBT_USER", "admin", "qBittorrent WebUI user name.");
    public static readonly OptionSpec QbtPasswordFile = new("--qbt-password-file", "QBT_PASSWORD_FILE", null, "File holding the qBittorrent WebUI password (e.g. $CREDENTIALS_DIRECTORY/qbt-password).");
    public static readonly OptionSpec QbtApiKeyFile = new("--qbt-api-key-file", "QBT_API_KEY_FILE", null, "File holding a qBittorrent >= 5.2 API key (qbt_…), used instead of a password.");
    public static readonly OptionSpec QbtReannounce = new("--qbt-reannounce", "QBT_REANNOUNCE", "false", "Reannounce all torrents to their trackers after a port change.", IsFlag: true);
    public static readonly OptionSpec TransmissionUrl = new("--transmission-url", "TRANSMISSION_URL", "http://127.0.0.1:9091/transmission/rpc", "Transmission RPC URL (rpc-url + 'rpc').");
    public static readonly OptionSpec TransmissionUser = new("--transmission-user", "TRANSMISSION_USER", null, "Transmission rpc-username.");
    public static readonly OptionSpec TransmissionPasswordFile = new("--transmission-password-file", "TRANSMISSION_PASSWORD_FILE", null, "File holding Transmission's rpc-password (e.g. $CREDENTIALS_DIRECTORY/transmission-password).");
    public static readonly OptionSpec DelugeUrl = new("--deluge-url", "DELUGE_URL", "http://127.0.0.1:8112/json", "deluge-web JSON-RPC URL.");
    public static readonly OptionSpec DelugePasswordFile = new("--deluge-password-file", "DELUGE_PASSWORD_FILE", null, "File holding the deluge-web password (required with --client deluge).");
    public static readonly OptionSpec PortFile = new("--port-file", "PORT_FILE", null, "With --client file: the file that receives the forwarded port.");
    public static readonly OptionSpec Recovery = new("--recovery", "RECOVERY", "systemd", "Recovery action after --max-failures: systemd (restart --wg-unit over D-Bus), command, or none.");
    public static readonly OptionSpec WgUnit = new("--wg-unit", "WG_UNIT", "wireguard-wg0.service", "WireGuard systemd unit restarted by the systemd recovery action.");
    public static readonly OptionSpec RecoveryCommand = new("--recovery-command", "RECOVERY_COMMAND", null, "Shell command run by the command recovery action, as `/bin/sh -c CMD` in its own process group with only PATH, LANG, LC_ALL and TZ inherited.");
    public static readonly OptionSpec RecoveryCooldown = new("--recovery-cooldown", "RECOVERY_COOLDOWN", "10", "Seconds to wait after a recovery before mapping again.");
    public static readonly OptionSpec MaxRecoveriesPerHour = new("--max-recoveries-per-hour", "MAX_RECOVERIES_PER_HOUR", "4", "At most this many recoveries in any hour, so a dead server is not restarted in a loop.");
    public static readonly OptionSpec RecoveryTimeout = new("--recovery-timeout", "RECOVERY_TIMEOUT", "20", "Seconds one recovery (the D-Bus call, or the command run as `sh -c`) may take; under a watchdog, capped below half of WatchdogSec.");
    public static readonly OptionSpec StateDirectory = new("--state-directory", "STATE_DIRECTORY", null, "Directory where recent recovery times are kept, so the hourly cap survives restarts (systemd's StateDirectory= sets it).");
    public static readonly OptionSpec MetricsAddr = new("--metrics-addr", "METRICS_ADDR", null, "HOST:PORT serving /metrics, /healthz and /status (off by default; loopback recommended).");
    public static readonly OptionSpec LogLevel = new("--log-level", "LOG_LEVEL", "information", "trace, debug, information, warning, error.");

    /// <summary>The flags of the NAT-PMP exchange (probe).</summary>
    public static readonly OptionSpec[] NatPmp = [Gateway, BindAddress, Interface, InternalPort, SuggestedPort, Lifetime, RequestTimeout, LogLevel];

    /// <summary>The flags of the daemon, doctor and demo.</summary>
    public static readonly OptionSpec[] All =
    [
        Gateway, BindAddress, Interface, InternalPort, SuggestedPort, Lifetime, RequestTimeout, RenewInterval, MaxFailures,
        Client, QbtUrl, QbtUser, QbtPasswordFile, QbtApiKeyFile, QbtReannounce,
        TransmissionUrl, TransmissionUser, TransmissionPasswordFile, DelugeUrl, DelugePasswordFile, PortFile,
        Recovery, WgUnit, RecoveryCommand, RecoveryCooldown, MaxRecoveriesPerHour, RecoveryTimeout, StateDirectory, MetricsAddr, LogLevel,
    ];
}
