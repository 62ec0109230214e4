using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Recovery;

/// <summary>
/// <c>--recovery-command</c>: runs <c>/bin/sh -c &lt;command&gt;</c> with stdin at EOF, no secrets in its
/// environment, and a deadline after which the whole process tree is killed. A non-zero exit is a failure whose
/// message carries the exit code and the last lines of stderr.
/// </summary>
internal sealed partial class CommandRecoveryAction : IRecoveryAction
{
    internal const string Shell = "/bin/sh";

    /// <summary>How many trailing stderr lines a failure reports.</summary>
    internal const int StderrTailLines = 10;

    /// <summary>Variables that only make sense for the daemon itself; a child must not speak to systemd in our name.</summary>
    private static readonly string[] DaemonOnlyVariables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];

    private static readonly string[] SecretSuffixes = ["_PASSWORD", "_TOKEN", "_KEY", "_SECRET"];

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public CommandRecoveryAction(string command, TimeSpan timeout, ILogger logger, TimeProvider? timeProvider = null)
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

        Command = command;
        Timeout = timeout;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Command { get; }

    public TimeSpan Timeout { get; }

    public string Description => $"run {Command}";

    /// <summary>True for names the child must not inherit: secrets by naming convention, and systemd's notify variables.</summary>
    internal static bool IsWithheld(string name)
        => DaemonOnlyVariables.Contains(name, StringComparer.Ordinal)
           || SecretSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = CreateStartInfo() };
        var stderr = new TailBuffer(StderrTailLines);
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        process.OutputDataReceived += (_, _) => { }; // Drained so a chatty command never blocks on a full pipe.

        var started = _timeProvider.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new RecoveryException($"could not start {Shell} for the recovery command: {ex.Message}", ex);
        }

        // Closing our end at once gives the child EOF on stdin: it can never wait for input.
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        LogStarted(_logger, process.Id, Command);

        using var deadline = new CancellationTokenSource(Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new RecoveryException(
                $"the recovery command did not finish within {Timeout.TotalSeconds:0.###} s and was killed with its children; last stderr: {stderr}");
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            throw new RecoveryException(
                $"the recovery command exited with code {process.ExitCode} after {elapsed.TotalSeconds:0.###} s; last stderr: {stderr}");
        }

        LogSucceeded(_logger, elapsed.TotalSeconds);
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var psi = new ProcessStartInfo(Shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Command);
        foreach (var name in psi.Environment.Keys.Where(IsWithheld).ToList())
        {
            psi.Environment.Remove(name);
        }

        return psi;
    }

    private void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            LogKilled(_logger, process.Id);
        }
        catch (InvalidOperationException)
        {
            // It exited between the deadline and the kill.
        }
    }
}
