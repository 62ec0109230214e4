namespace ProtonPortSync.Processes;

/// <summary>
/// One run of a user's shell command: <c>/bin/sh -c Command sh Arguments…</c>, so the arguments are <c>$1</c>,
/// <c>$2</c>… and never pass through the shell's parser. <see cref="Variables"/> are added to the allowlisted
/// environment (see <see cref="ShellCommandRunner.AllowedVariables"/>); nothing else of the daemon's is inherited.
/// </summary>
internal sealed record ShellCommand
{
    public ShellCommand(string command, TimeSpan timeout)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new ArgumentException("The shell command is empty.", nameof(command));
        }

        if (command.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The shell command contains a NUL character, which no shell command can carry.", nameof(command));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Command = command;
        Timeout = timeout;
    }

    public string Command { get; }

    /// <summary>After this long the whole process group is killed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Positional parameters: <c>$1</c>, <c>$2</c>, …</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment variables for the command (e.g. FORWARDED_PORT).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}

/// <summary>How a run ended.</summary>
internal enum ShellCommandOutcome
{
    /// <summary>The shell exited with code 0.</summary>
    Succeeded,

    /// <summary>The shell exited with a non-zero code, or was killed by a signal it did not get from us.</summary>
    Failed,

    /// <summary>It outlived its timeout; its process group was killed.</summary>
    TimedOut,

    /// <summary>The shell could not be started at all.</summary>
    NotStarted,
}

/// <summary>The result of one run, with the last lines it printed (sanitised and cut) for an error message.</summary>
internal sealed record ShellCommandResult(ShellCommandOutcome Outcome, int? ExitCode, TimeSpan Elapsed, string OutputTail)
{
    public bool Succeeded => Outcome == ShellCommandOutcome.Succeeded;

    /// <summary>One phrase for a log line or an exception message, e.g. "exited with code 3 after 0.2 s".</summary>
    public string Describe() => Outcome switch
    {
        ShellCommandOutcome.Succeeded => $"succeeded after {Elapsed.TotalSeconds:0.###} s",
        ShellCommandOutcome.Failed => $"exited with code {ExitCode} after {Elapsed.TotalSeconds:0.###} s; last output: {OutputTail}",
        ShellCommandOutcome.TimedOut => $"did not finish within {Elapsed.TotalSeconds:0.###} s and was killed with its process group; last output: {OutputTail}",
        _ => $"could not be started: {OutputTail}",
    };
}
