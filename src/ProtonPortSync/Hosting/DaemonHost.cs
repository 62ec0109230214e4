using Microsoft.Extensions.Logging;
using ProtonPortSync.Cli;
using ProtonPortSync.Observability;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.PortFile;
using ProtonPortSync.TorrentClients.Deluge;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Hosting;

/// <summary>
/// The composition root of the daemon: builds the gateway client, the torrent client adapter, the recovery action and
/// the observers from validated options, runs the loop until stopped, and turns a crash into a non-zero exit code
/// (so that systemd's Restart=on-failure restarts it).
/// </summary>
internal static partial class DaemonHost
{
    public const int ExitCrashed = 70; // EX_SOFTWARE

    public static async Task<int> RunAsync(DaemonOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken stoppingToken, IRecoveryAction? recovery = null, IReadOnlyList<ISyncObserver>? extraObservers = null, SyncSettings? settingsOverride = null)
    {
        var logger = loggers.CreateLogger("ProtonPortSync.Daemon");
        using var notifier = SystemdNotifier.FromEnvironment(loggers.CreateLogger<SystemdNotifier>());
        var notify = new SystemdNotifyObserver(notifier);
        var settings = settingsOverride ?? Settings(options, notify.WatchdogInterval);

        using var mapper = new NatPmpPortMapper(options.Gateway, options.BindAddress, options.Interface, options.InternalPort, options.Lifetime, time, loggers.CreateLogger<NatPmpPortMapper>());
        var client = CreateClient(options, time, loggers);
        recovery ??= CreateRecovery(options with { RecoveryTimeout = RecoveryTimeouts.UnderWatchdog(options.RecoveryTimeout, options.RequestTimeout, notify.WatchdogInterval) }, time, loggers);
        var metrics = new SyncMetrics();
        var status = new StatusHolder();

        // systemd hears READY=1 last, once metrics and status already describe the first cycle.
        var observers = new List<ISyncObserver> { metrics, status };
        observers.AddRange(extraObservers ?? []);
        observers.Add(notify);
        var history = options.StateDirectory is { } state ? new RecoveryHistoryFile(state, loggers.CreateLogger<RecoveryHistoryFile>()) : null;
        var loop = new PortSyncLoop(mapper, client, recovery, new CompositeSyncObserver(observers), settings, time, loggers.CreateLogger<PortSyncLoop>(), history);

        using var stopping = stoppingToken.Register(() => notifier.Stopping());
        ObservabilityServer? server = null;
        try
        {
            if (options.MetricsAddress is { } address)
            {
                // Bound before the first cycle, so that READY=1 means "serving".
                server = await ObservabilityServer.StartAsync(address, metrics, status, HealthSettings.From(settings), time, loggers, stoppingToken);
            }

            await loop.RunAsync(stoppingToken);
            return CommandLineApp.ExitOk;
        }
        catch (IOException ex) when (server is null && options.MetricsAddress is not null)
        {
            Log.CannotServe(logger, ex.Message);
            return CommandLineApp.ExitFailure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Crashed(logger, ex);
            return ExitCrashed;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            (client as IDisposable)?.Dispose();
            if (recovery is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    public static SyncSettings Settings(DaemonOptions options, TimeSpan? watchdogInterval)
    {
        var maxSleep = SyncSettings.DefaultMaxSleep;
        if (watchdogInterval is { } w && w < maxSleep)
        {
            maxSleep = w > TimeSpan.FromMilliseconds(100) ? w : TimeSpan.FromMilliseconds(100);
        }

        return new SyncSettings
        {
            SuggestedPort = options.SuggestedPort,
            RenewInterval = options.RenewInterval,
            RequestTimeout = options.RequestTimeout,
            FailureRetryDelay = options.RenewInterval < SyncSettings.DefaultFailureRetryDelay ? options.RenewInterval : SyncSettings.DefaultFailureRetryDelay,
            MaxFailures = options.MaxFailures,
            RecoveryCooldown = options.RecoveryCooldown,
            MaxRecoveriesPerHour = options.MaxRecoveriesPerHour,
            MaxSleep = maxSleep,
        };
    }

    public static ITorrentClient CreateClient(DaemonOptions options, TimeProvider time, ILoggerFactory loggers) => options.Client switch
    {
        TorrentClientKind.File => new PortFileClient(options.PortFile!),
        TorrentClientKind.Transmission => new TransmissionClient(
            new TransmissionOptions { RpcUrl = options.TransmissionUrl, Username = options.TransmissionUser ?? string.Empty, PasswordFile = options.TransmissionPasswordFile },
            time,
            loggers.CreateLogger<TransmissionClient>()),
        TorrentClientKind.Deluge => new DelugeClient(
            new DelugeOptions { Url = options.DelugeUrl, PasswordFile = options.DelugePasswordFile! },
            time,
            loggers.CreateLogger<DelugeClient>()),
        _ => new QBittorrentClient(
            new QBittorrentOptions
            {
                BaseUrl = options.QbtUrl,
                Username = options.QbtUser,
                PasswordFile = options.QbtPasswordFile,
                ApiKeyFile = options.QbtApiKeyFile,
                Reannounce = options.QbtReannounce,
            },
            time,
            loggers.CreateLogger<QBittorrentClient>()),
    };

    public static IRecoveryAction CreateRecovery(DaemonOptions options, TimeProvider time, ILoggerFactory loggers) => options.Recovery switch
    {
        RecoveryKind.Command => new CommandRecoveryAction(options.RecoveryCommand!, options.RecoveryTimeout, loggers.CreateLogger<CommandRecoveryAction>(), time),
        RecoveryKind.None => new NoRecoveryAction(),
        _ => new SystemdUnitRestartAction(options.WgUnit, time, loggers.CreateLogger<SystemdUnitRestartAction>(), timeout: options.RecoveryTimeout),
    };

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Critical, "The sync loop crashed; exiting with a failure code so that the service manager restarts the daemon")]
        public static partial void Crashed(ILogger logger, Exception exception);

        [LoggerMessage(5002, LogLevel.Error, "{Error}")]
        public static partial void CannotServe(ILogger logger, string error);
    }
}
