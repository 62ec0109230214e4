using Microsoft.Extensions.Logging;
using ProtonPortSync.Doctor;
using ProtonPortSync.Observability;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Hosting;

/// <summary>
/// The composition root of the daemon: builds the gateway client, the torrent client, the sinks, the recovery
/// action and the observers from validated options (with <see cref="DaemonParts"/>, which `doctor` uses too), runs
/// the loop until stopped, and turns a crash into a non-zero exit code (so that systemd's Restart=on-failure
/// restarts it).
/// </summary>
internal static partial class DaemonHost
{
    public const int ExitCrashed = ExitCodes.Crashed;

    public static async Task<int> RunAsync(DaemonOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken stoppingToken, IRecoveryAction? recovery = null, IReadOnlyList<ISyncObserver>? extraObservers = null, SyncSettings? settingsOverride = null)
    {
        var logger = loggers.CreateLogger("ProtonPortSync.Daemon");
        using var notifier = SystemdNotifier.FromEnvironment(loggers.CreateLogger<SystemdNotifier>());
        var notify = new SystemdNotifyObserver(notifier);
        var settings = settingsOverride ?? DaemonParts.Settings(options, notify.WatchdogInterval);

        using var mapper = DaemonParts.CreateMapper(options, time, loggers);
        var client = options.Client?.Create(time, loggers);
        await WarnAtStartAsync(options, logger, stoppingToken);
        recovery ??= DaemonParts.CreateRecovery(options with { RecoveryTimeout = RecoveryTimeouts.UnderWatchdog(options.RecoveryTimeout, options.RequestTimeout, notify.WatchdogInterval) }, time, loggers);
        var parts = DaemonParts.CreateSinks(options, time, loggers);
        var metrics = new SyncMetrics(sinks: [.. parts.Select(p => p.Name)]);
        var sinks = new SinkSet(parts, new SinkSettings(settings.RenewInterval, SinkSettings.DefaultMaxBackoff), metrics, time, loggers);
        var status = new StatusHolder { Sinks = snapshot => [.. ClientStatus(options, snapshot), .. sinks.Statuses()] };

        // systemd hears READY=1 last, once metrics and status already describe the first cycle.
        var observers = new List<ISyncObserver> { metrics, status, sinks };
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

            sinks.Start();
            await loop.RunAsync(stoppingToken);
            return ExitCodes.Ok;
        }
        catch (IOException ex) when (server is null && options.MetricsAddress is not null)
        {
            Log.CannotServe(logger, ex.Message);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Crashed(logger, ex);
            return ExitCrashed;
        }
        finally
        {
            await sinks.DisposeAsync();
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

    /// <summary>
    /// What `doctor` flags about the secret files, said once at start with the same check (<see cref="SecretFileCheck"/>):
    /// what can never work (empty, not a file) was already refused by the parser; what remains is a warning.
    /// </summary>
    private static async Task WarnAtStartAsync(DaemonOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (options.Client is not { } setup)
        {
            return;
        }

        foreach (var check in setup.SecretFileChecks())
        {
            var result = await check.RunAsync(cancellationToken);
            if (result.Verdict != DoctorVerdict.Ok)
            {
                Log.StartWarning(logger, result.Detail, result.Fix ?? string.Empty);
            }
        }
    }

    /// <summary>The client as the first entry of /status's sink list (none with <c>--client none</c>).</summary>
    private static IEnumerable<SinkStatus> ClientStatus(DaemonOptions options, SyncSnapshot? snapshot)
    {
        if (options.Client is not { } client)
        {
            yield break;
        }

        var s = snapshot?.State;
        var state = s?.MappedPort is null ? SinkStatus.Idle
            : s.InSync ? SinkStatus.InSync
            : s.ClientFailures > 0 ? SinkStatus.Failing
            : SinkStatus.Pending;
        yield return new SinkStatus(client.Name, "client", state, s?.ClientPort, s?.MappedPort, s?.ClientFailures ?? 0, null, null);
    }

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Critical, "The sync loop crashed; exiting with a failure code so that the service manager restarts the daemon")]
        public static partial void Crashed(ILogger logger, Exception exception);

        [LoggerMessage(5002, LogLevel.Error, "{Error}")]
        public static partial void CannotServe(ILogger logger, string error);

        [LoggerMessage(5003, LogLevel.Warning, "{Problem}; {Fix}")]
        public static partial void StartWarning(ILogger logger, string problem, string fix);
    }
}
