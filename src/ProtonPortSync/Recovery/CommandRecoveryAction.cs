using System.Globalization;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Processes;

namespace ProtonPortSync.Recovery;

/// <summary>
/// <c>--recovery-command</c>: runs <c>/bin/sh -c &lt;command&gt;</c> through the shared <see cref="ShellCommandRunner"/>:
/// stdin at EOF, an allowlisted environment (PATH, LANG, LC_ALL, TZ; never CREDENTIALS_DIRECTORY, NOTIFY_SOCKET or
/// secrets) plus the port variables of <see cref="RecoveryContext"/>, its own process group, killed whole at <c>--recovery-timeout</c> (which the daemon keeps below half of
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

    public async Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await _runner.RunAsync(_command with { Variables = Variables(context) }, "recovery command", cancellationToken);
        if (!result.Succeeded)
        {
            throw new RecoveryException($"the recovery command {result.Describe()}");
        }

        LogSucceeded(_logger, result.Elapsed.TotalSeconds);
    }

    /// <summary>The port variables the command gets: those the loop knows, and the failures in a row.</summary>
    internal static Dictionary<string, string> Variables(RecoveryContext context)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PortVariables.ConsecutiveFailures] = context.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
        };
        if (context.Port is { } port)
        {
            variables[PortVariables.Port] = port.ToString(CultureInfo.InvariantCulture);
        }

        if (context.PublicAddress is { } address)
        {
            variables[PortVariables.PublicAddress] = address.ToString();
        }

        return variables;
    }
}
