using System.Net;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Cli;

internal enum TorrentClientKind
{
    QBittorrent,
    Transmission,
    Deluge,
    File,
}

internal enum RecoveryKind
{
    Systemd,
    Command,
    None,
}

/// <summary>The validated settings of one run. Built only by <see cref="DaemonOptionsParser"/>.</summary>
internal sealed record DaemonOptions
{
    public const int NatPmpPort = 5351;

    public required IPEndPoint Gateway { get; init; }

    /// <summary>The address the socket binds to; null when <see cref="Interface"/> decides it.</summary>
    public IPAddress? BindAddress { get; init; }

    public string? Interface { get; init; }

    public ushort InternalPort { get; init; }

    public ushort SuggestedPort { get; init; } = 1;

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(45);

    public int MaxFailures { get; init; } = 3;

    public TorrentClientKind Client { get; init; }

    public required Uri QbtUrl { get; init; }

    public string QbtUser { get; init; } = "admin";

    public string? QbtPasswordFile { get; init; }

    public string? QbtApiKeyFile { get; init; }

    public bool QbtReannounce { get; init; }

    public Uri TransmissionUrl { get; init; } = new("http://127.0.0.1:9091/transmission/rpc");

    public string? TransmissionUser { get; init; }

    public string? TransmissionPasswordFile { get; init; }

    public Uri DelugeUrl { get; init; } = new("http://127.0.0.1:8112/json");

    public string? DelugePasswordFile { get; init; }

    public string? PortFile { get; init; }

    public RecoveryKind Recovery { get; init; }

    public string WgUnit { get; init; } = "wireguard-wg0.service";

    public string? RecoveryCommand { get; init; }

    public TimeSpan RecoveryCooldown { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxRecoveriesPerHour { get; init; } = 4;

    /// <summary>How long one recovery may take (<c>--recovery-timeout</c>); capped under a watchdog.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Where the recovery history is persisted (<c>--state-directory</c>, <c>$STATE_DIRECTORY</c>); null keeps it in memory.</summary>
    public string? StateDirectory { get; init; }

    public IPEndPoint? MetricsAddress { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
