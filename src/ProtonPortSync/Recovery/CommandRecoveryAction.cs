using Microsoft.Extensions.Logging;
using ProtonPortSync.Processes;

namespace ProtonPortSync.Recovery;

/// <summary>
/// <c>--recovery-command</c>: runs <c>/bin/sh -c &lt;command&gt;</c> through the shared <see cref="ShellCommandRunner"/>:
/// stdin at EOF, an allowlisted environment (PATH, LANG, LC_ALL, TZ; never CREDENTIALS_DIRECTORY, NOTIFY_SOCKET or
/// secrets), its own process group, killed whole at <c>--recovery-timeout</c> (which the daemon keeps below half of
/// WatchdogSec) and after the shell exits, so no background child outlives the run. A non-zero exit is a failure
/// whose message carries the exit code and the last lines of output.
/// </summary>
internal sealed partial class CommandRecoveryAction : IRecoveryAction
{
    private readonly ShellCommand _command;
    private readonly ShellCommandRunner _runner;
    private readonly ILogger _logger;

    public CommandRecoveryAction(string command, TimeSpan timeout, ILogger logger, TimeProvider? timeProvider = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new ArgumentException("The recovery command is empty: pass a shell command to --recovery-command, or use --recovery none.", nameof(command));
        }

        if (command.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The recovery command contains a NUL character, which no shell command can carry.", nameof(command));
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The recovery command timeout must be positive.");
        }

        _command = new ShellCommand(command, timeout);
        _logger = logger;
        _runner = new ShellCommandRunner(timeProvider ?? TimeProvider.System, environment ?? Environment.GetEnvironmentVariable, logger);
    }

    public string Command => _command.Command;

    public TimeSpan Timeout => _command.Timeout;

    public string Description => $"run {Command}";

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(_command, "recovery command", cancellationToken);
        if (!result.Succeeded)
        {
            throw new RecoveryException($"the recovery command {result.Describe()}");
        }

        LogSucceeded(_logger, result.Elapsed.TotalSeconds);
    }
}
