using Microsoft.Extensions.Logging;
using ProtonPortSync.Gateway;
using ProtonPortSync.Processes;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Hosting;

/// <summary>How each part of the daemon is built from validated options: one place, for the daemon and `doctor`.</summary>
internal static class DaemonParts
{
    public static NatPmpPortMapper CreateMapper(DaemonOptions options, TimeProvider time, ILoggerFactory loggers)
        => new(options.Gateway, options.BindAddress, options.Interface, options.InternalPort, options.Lifetime, time, loggers.CreateLogger<NatPmpPortMapper>());

    public static IRecoveryAction CreateRecovery(DaemonOptions options, TimeProvider time, ILoggerFactory loggers) => options.Recovery switch
    {
        RecoveryKind.Command => new CommandRecoveryAction(options.RecoveryCommand!, options.RecoveryTimeout, loggers.CreateLogger<CommandRecoveryAction>(), time),
        RecoveryKind.None => new NoRecoveryAction(),
        _ => new SystemdUnitRestartAction(options.WgUnit, time, loggers.CreateLogger<SystemdUnitRestartAction>(), timeout: options.RecoveryTimeout),
    };

    /// <summary>The port files, then the hooks (hook:1, hook:2, … in the order given).</summary>
    public static IReadOnlyList<IPortSink> CreateSinks(DaemonOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var runner = new ShellCommandRunner(time, Environment.GetEnvironmentVariable, loggers.CreateLogger<HookSink>());
        return
        [
            .. options.PortFiles.Select(p => new PortFileSink(p)),
            .. options.OnChangeCommands.Select((c, i) => new HookSink(i + 1, c, options.HookTimeout, runner)),
        ];
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
}
