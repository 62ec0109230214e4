using System.Globalization;
using ProtonPortSync.Configuration;
using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Hosting;

/// <summary>
/// The flags every command shares; each client's own flags are in its module (<see cref="TorrentClientRegistry"/>).
/// Defaults are taken from the constants of the code that uses them, so each is written once.
/// </summary>
internal static class OptionSpecs
{
    public static readonly OptionSpec Gateway = new("--gateway", "NATPMP_GATEWAY", DaemonOptions.DefaultGateway.Address.ToString(), "NAT-PMP gateway address (IPv4, optionally :port; default port 5351).");
    public static readonly OptionSpec BindAddress = new("--bind-address", "NATPMP_BIND_ADDRESS", DaemonOptions.DefaultBindAddress.ToString(), "Local address the NAT-PMP socket is bound to: the tunnel's address (needed under policy routing).");
    public static readonly OptionSpec Interface = new("--interface", "NATPMP_INTERFACE", null, "Bind to this interface (its IPv4 address, and SO_BINDTODEVICE) instead of --bind-address.");
    public static readonly OptionSpec InternalPort = new("--internal-port", "NATPMP_INTERNAL_PORT", Number(DaemonOptions.DefaultInternalPort), "Internal port sent in mapping requests (ProtonVPN documents 0; standards gateways need a real port).");
    public static readonly OptionSpec SuggestedPort = new("--suggested-port", "NATPMP_SUGGESTED_PORT", Number(SyncSettings.DefaultSuggestedPort), "Suggested external port of the first request (ProtonVPN documents 1); renewals suggest the granted port.");
    public static readonly OptionSpec Lifetime = new("--lifetime", "NATPMP_LIFETIME", Seconds(DaemonOptions.DefaultLifetime), "Requested mapping lifetime in seconds (ProtonVPN grants 60).");
    public static readonly OptionSpec RequestTimeout = new("--request-timeout", "NATPMP_REQUEST_TIMEOUT", Seconds(SyncSettings.DefaultRequestTimeout), "Seconds one renewal (UDP and TCP) may take, retransmissions included; also bounded by the lease left.");
    public static readonly OptionSpec RenewInterval = new("--renew-interval", "RENEW_INTERVAL", Seconds(SyncSettings.DefaultRenewInterval), "Seconds between renewals (at most half the granted lifetime is used); 1 up to below the lifetime.");
    public static readonly OptionSpec MaxFailures = new("--max-failures", "MAX_FAILURES", Number(SyncSettings.DefaultMaxFailures), "Consecutive failed renewals before the recovery action runs.");
    public static readonly OptionSpec Client = new("--client", "TORRENT_CLIENT", TorrentClientRegistry.All[0].Name, $"Torrent client to keep in sync: {string.Join(", ", TorrentClientRegistry.Names)} (file: the first --port-file plays the client, as in the original).");
    public static readonly OptionSpec Reannounce = new("--reannounce", "REANNOUNCE", "false", "Ask the client to reannounce every torrent to its trackers after a port change.", OptionShape.Flag)
    {
        Aliases = ["--qbt-reannounce"],
        EnvironmentAliases = ["QBT_REANNOUNCE"],
    };

    public static readonly OptionSpec PortFile = new("--port-file", "PORT_FILE", null, "A file that receives the forwarded port (repeatable; in PORT_FILE one path per line).", OptionShape.List);
    public static readonly OptionSpec OnChangeCommand = new("--on-change-command", "ON_CHANGE_COMMAND", null, "Shell command run with the new port as $1 and FORWARDED_PORT at start and on every change (repeatable; in ON_CHANGE_COMMAND one command per line).", OptionShape.List);
    public static readonly OptionSpec HookTimeout = new("--hook-timeout", "HOOK_TIMEOUT", Seconds(HookSink.DefaultTimeout), "Seconds an --on-change-command may run before its process group is killed.");
    public static readonly OptionSpec Recovery = new("--recovery", "RECOVERY", "systemd", "Recovery action after --max-failures: systemd (restart --wg-unit over D-Bus), command, or none.");
    public static readonly OptionSpec WgUnit = new("--wg-unit", "WG_UNIT", DaemonOptions.DefaultWgUnit, "WireGuard systemd unit restarted by the systemd recovery action.");
    public static readonly OptionSpec WgConfig = new("--wg-config", "WG_CONFIG", null, "The tunnel's wg-quick configuration (e.g. /etc/wireguard/wg0.conf), read by doctor only: whether Proton turned port forwarding on for its key, and whether --bind-address and --gateway match it. The private key is never printed. `run` accepts the flag and ignores it, so one argument list serves both.");
    public static readonly OptionSpec RecoveryCommand = new("--recovery-command", "RECOVERY_COMMAND", null, "Shell command run by the command recovery action, as `/bin/sh -c CMD` in its own process group with only PATH, LANG, LC_ALL and TZ inherited, plus FORWARDED_PORT and FORWARDED_PUBLIC_ADDRESS (while a port is held) and RECOVERY_CONSECUTIVE_FAILURES.");
    public static readonly OptionSpec RecoveryCooldown = new("--recovery-cooldown", "RECOVERY_COOLDOWN", Seconds(SyncSettings.DefaultRecoveryCooldown), "Seconds to wait after a recovery before mapping again.");
    public static readonly OptionSpec MaxRecoveriesPerHour = new("--max-recoveries-per-hour", "MAX_RECOVERIES_PER_HOUR", Number(SyncSettings.DefaultMaxRecoveriesPerHour), "At most this many recoveries in any hour, so a dead server is not restarted in a loop.");
    public static readonly OptionSpec RecoveryTimeout = new("--recovery-timeout", "RECOVERY_TIMEOUT", Seconds(DaemonOptions.DefaultRecoveryTimeout), "Seconds one recovery (the D-Bus call, or the command run as `sh -c`) may take; under a watchdog, capped below half of WatchdogSec.");
    public static readonly OptionSpec StateDirectory = new("--state-directory", "STATE_DIRECTORY", null, "Directory where recent recovery times are kept, so the hourly cap survives restarts (systemd's StateDirectory= sets it).");
    public static readonly OptionSpec MetricsAddr = new("--metrics-addr", "METRICS_ADDR", null, "HOST:PORT serving /metrics, /healthz and /status (off by default; loopback recommended).");
    public static readonly OptionSpec LogLevel = new("--log-level", "LOG_LEVEL", "information", "trace, debug, information, warning, error.");

    /// <summary>The flags of the NAT-PMP exchange (probe).</summary>
    public static readonly OptionSpec[] NatPmp = [Gateway, BindAddress, Interface, InternalPort, SuggestedPort, Lifetime, RequestTimeout, LogLevel];

    /// <summary>The flags of the daemon, doctor and demo: the shared ones, then each client's.</summary>
    public static readonly OptionSpec[] All =
    [
        Gateway, BindAddress, Interface, InternalPort, SuggestedPort, Lifetime, RequestTimeout, RenewInterval, MaxFailures,
        Client, Reannounce, .. TorrentClientRegistry.All.SelectMany(m => m.Options), PortFile, OnChangeCommand, HookTimeout,
        Recovery, WgUnit, WgConfig, RecoveryCommand, RecoveryCooldown, MaxRecoveriesPerHour, RecoveryTimeout, StateDirectory, MetricsAddr, LogLevel,
    ];

    private static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
