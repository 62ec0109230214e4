using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Processes;

/// <summary>
/// Runs <see cref="ShellCommand"/>s (recovery commands, change hooks) the way a daemon must run a user's code:
/// stdin at EOF; an environment built from an allowlist (never a secret, never CREDENTIALS_DIRECTORY or
/// NOTIFY_SOCKET); in a session and process group of its own (via <c>setsid</c>), so that on timeout or stop the
/// whole group is killed, and after a normal exit the children it left behind are killed too; the process itself is
/// waited for, never its pipes (a background child holding stdout open cannot stretch a run); its output is logged
/// line by line, sanitised and bounded.
/// </summary>
internal sealed partial class ShellCommandRunner
{
    internal const string Shell = "/bin/sh";

    /// <summary>The only variables a command inherits from the daemon's environment.</summary>
    public static readonly IReadOnlyList<string> AllowedVariables = ["PATH", "LANG", "LC_ALL", "TZ"];

    /// <summary>PATH when the daemon has none (a bare service environment).</summary>
    internal const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>How long the output readers may go on after the process exited and its group was killed.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromMilliseconds(500);

    private static readonly string[] SetsidCandidates = ["/usr/bin/setsid", "/bin/setsid", "/run/current-system/sw/bin/setsid"];

    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;
    private readonly ILogger _logger;
    private readonly string? _setsid;

    public ShellCommandRunner(TimeProvider time, Func<string, string?> environment, ILogger logger, string? setsid = null)
    {
        _time = time;
        _environment = environment;
        _logger = logger;
        _setsid = setsid ?? FindSetsid(environment("PATH"));
    }

    /// <summary>False when no <c>setsid</c> was found: commands then run in the daemon's group and only the shell's process tree is killed.</summary>
    public bool OwnProcessGroup => _setsid is not null;

    /// <summary>
    /// Runs the command to its end or its timeout. Never throws for the command's own failures (see
    /// <see cref="ShellCommandResult"/>); throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires, after killing the group.
    /// </summary>
    public async Task<ShellCommandResult> RunAsync(ShellCommand command, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        var tail = new OutputTail();
        using var process = new Process { StartInfo = StartInfo(command) };
        var started = _time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ShellCommandResult(ShellCommandOutcome.NotStarted, null, TimeSpan.Zero, $"{Shell}: {ex.Message}");
        }

        // Closing our end gives the child EOF on stdin: it can never wait for input.
        process.StandardInput.Close();
        var pid = process.Id;
        LogStarted(_logger, name, pid);

        using var readers = new CancellationTokenSource();
        var output = Task.WhenAll(
            Drain(process.StandardOutput, name, tail, readers.Token),
            Drain(process.StandardError, name, tail, readers.Token));

        using var deadline = new CancellationTokenSource(command.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var outcome = ShellCommandOutcome.Succeeded;
        try
        {
            // Without BeginOutputReadLine this waits for the process only, not for EOF on its pipes.
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            outcome = ShellCommandOutcome.TimedOut;
        }

        // Whatever happened, nothing of the group outlives the run: on timeout the shell and its children, after a
        // normal exit the background children it left.
        KillGroup(process, pid, name);
        if (outcome == ShellCommandOutcome.TimedOut)
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // The readers end at EOF once every holder of the pipes is gone; a child that escaped the group keeps them
        // open, so they get a short grace and are then abandoned.
        await output.WaitAsync(DrainGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await readers.CancelAsync();

        var elapsed = _time.GetElapsedTime(started);
        if (outcome == ShellCommandOutcome.TimedOut)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ShellCommandResult(ShellCommandOutcome.TimedOut, null, command.Timeout, tail.ToString());
        }

        var code = process.ExitCode;
        return new ShellCommandResult(code == 0 ? ShellCommandOutcome.Succeeded : ShellCommandOutcome.Failed, code, elapsed, tail.ToString());
    }

    /// <summary>The environment a command gets: the allowlisted variables of the daemon's, then the command's own.</summary>
    internal static Dictionary<string, string> Environment(Func<string, string?> daemonEnvironment, IReadOnlyDictionary<string, string> variables)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in AllowedVariables)
        {
            if (daemonEnvironment(name) is { Length: > 0 } value)
            {
                env[name] = value;
            }
        }

        env.TryAdd("PATH", DefaultPath);
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        return env;
    }

    internal static string? FindSetsid(string? path)
    {
        var dirs = (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "setsid"));
        return dirs.Concat(SetsidCandidates).FirstOrDefault(File.Exists);
    }

    private ProcessStartInfo StartInfo(ShellCommand command)
    {
        var psi = new ProcessStartInfo(_setsid ?? Shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_setsid is not null)
        {
            psi.ArgumentList.Add(Shell);
        }

        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command.Command);
        psi.ArgumentList.Add("sh");
        foreach (var argument in command.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        psi.Environment.Clear();
        foreach (var (name, value) in Environment(_environment, command.Variables))
        {
            psi.Environment[name] = value;
        }

        return psi;
    }

    private void KillGroup(Process process, int pid, string name)
    {
        // setsid(1) does not fork when its caller is not a group leader (a child of ours never is): the shell's pid
        // is its process group id.
        if (_setsid is not null)
        {
            if (ProcessGroup.Kill(pid))
            {
                LogGroupKilled(_logger, name, pid);
            }

            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task Drain(StreamReader reader, string name, OutputTail tail, CancellationToken cancellationToken)
    {
        try
        {
            await BoundedLineReader.ReadAsync(reader, line =>
            {
                tail.Add(line);
                LogOutput(_logger, name, line);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Abandoned after the grace, or the pipe went away with the process.
        }
    }

    /// <summary>The last few lines, for an error message.</summary>
    private sealed class OutputTail
    {
        private const int Capacity = 5;
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > Capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return _lines.Count == 0 ? "(none)" : string.Join(" | ", _lines);
            }
        }
    }
}
