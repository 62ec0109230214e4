namespace ProtonPortSync.Sync;

/// <summary>The loop's timing and thresholds, with the defaults the original daemon's users know.</summary>
internal sealed partial record SyncSettings
{
    public static readonly TimeSpan DefaultRenewInterval = TimeSpan.FromSeconds(45);
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultFailureRetryDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultRecoveryCooldown = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMaxSleep = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RecoveryWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxClientBackoff = TimeSpan.FromMinutes(1);
    public const ushort DefaultSuggestedPort = 1;
    public const int DefaultMaxFailures = 3;
    public const int DefaultMaxRecoveriesPerHour = 4;

    /// <summary>Suggested external port of the first request (ProtonVPN documents 1).</summary>
    public ushort SuggestedPort { get; init; } = DefaultSuggestedPort;

    public TimeSpan RenewInterval { get; init; } = DefaultRenewInterval;

    /// <summary>The most one renewal (UDP and TCP together) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>The wait after a failed renewal before the next try.</summary>
    public TimeSpan FailureRetryDelay { get; init; } = DefaultFailureRetryDelay;

    public int MaxFailures { get; init; } = DefaultMaxFailures;

    public TimeSpan RecoveryCooldown { get; init; } = DefaultRecoveryCooldown;

    public int MaxRecoveriesPerHour { get; init; } = DefaultMaxRecoveriesPerHour;

    /// <summary>The loop wakes at least this often (to ping the systemd watchdog while it is alive).</summary>
    public TimeSpan MaxSleep { get; init; } = DefaultMaxSleep;

    /// <summary>How long the release of the mappings at shutdown may take.</summary>
    public TimeSpan ReleaseTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
