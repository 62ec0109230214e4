using System.Net;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Hosting;

/// <summary>
/// The validated settings of one run. Built by <see cref="DaemonOptionsParser"/>; the defaults are the constants
/// of the code that uses them (and <see cref="OptionSpecs"/> shows the same constants as help).
/// </summary>
internal sealed record DaemonOptions
{
    public const int NatPmpPort = 5351;
    public const ushort DefaultInternalPort = 0;
    public const string DefaultWgUnit = "wireguard-wg0.service";
    public static readonly IPEndPoint DefaultGateway = new(IPAddress.Parse("10.2.0.1"), NatPmpPort);
    public static readonly IPAddress DefaultBindAddress = IPAddress.Parse("10.2.0.2");
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultRecoveryTimeout = TimeSpan.FromSeconds(20);

    public IPEndPoint Gateway { get; init; } = DefaultGateway;

    /// <summary>The address the socket binds to; null when <see cref="Interface"/> decides it.</summary>
    public IPAddress? BindAddress { get; init; } = DefaultBindAddress;

    public string? Interface { get; init; }

    public ushort InternalPort { get; init; } = DefaultInternalPort;

    public ushort SuggestedPort { get; init; } = SyncSettings.DefaultSuggestedPort;

    public TimeSpan Lifetime { get; init; } = DefaultLifetime;

    public TimeSpan RequestTimeout { get; init; } = SyncSettings.DefaultRequestTimeout;

    public TimeSpan RenewInterval { get; init; } = SyncSettings.DefaultRenewInterval;

    public int MaxFailures { get; init; } = SyncSettings.DefaultMaxFailures;

    /// <summary>The torrent client kept in sync, or null for <c>--client none</c>.</summary>
    public ITorrentClientSetup? Client { get; init; }

    /// <summary>Port files written besides the client (the legacy <c>--client file</c>'s own file is not among them).</summary>
    public IReadOnlyList<string> PortFiles { get; init; } = [];

    /// <summary>Hooks run on every change of the port, and once when the first port is granted.</summary>
    public IReadOnlyList<string> OnChangeCommands { get; init; } = [];

    public TimeSpan HookTimeout { get; init; } = HookSink.DefaultTimeout;

    public RecoveryKind Recovery { get; init; }

    public string WgUnit { get; init; } = DefaultWgUnit;

    /// <summary>
    /// The tunnel's wg-quick configuration (<c>--wg-config</c>), read by doctor only; null when not given. The daemon
    /// never opens it: the file is usually root's (mode 0600) and the daemon runs as an unprivileged user.
    /// </summary>
    public string? WireGuardConfig { get; init; }

    public string? RecoveryCommand { get; init; }

    public TimeSpan RecoveryCooldown { get; init; } = SyncSettings.DefaultRecoveryCooldown;

    public int MaxRecoveriesPerHour { get; init; } = SyncSettings.DefaultMaxRecoveriesPerHour;

    /// <summary>How long one recovery may take (<c>--recovery-timeout</c>); capped under a watchdog.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = DefaultRecoveryTimeout;

    /// <summary>Where the recovery history is persisted (<c>--state-directory</c>, <c>$STATE_DIRECTORY</c>); null keeps it in memory.</summary>
    public string? StateDirectory { get; init; }

    public IPEndPoint? MetricsAddress { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
