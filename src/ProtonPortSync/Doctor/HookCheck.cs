using ProtonPortSync.Processes;

namespace ProtonPortSync.Doctor;

/// <summary>
/// The --on-change-command hooks can run as the daemon runs them: /bin/sh exists, and setsid(1) does, so that a hook
/// gets a process group of its own that is killed as a whole on timeout. The hooks themselves are not run here.
/// </summary>
internal sealed class HookCheck(int count, string? setsid) : IDoctorCheck
{
    public const string Name = "hooks";

    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ShellCommandRunner.Shell))
        {
            return Task.FromResult(DoctorResult.Fail(Name, $"{count} hook(s) configured but {ShellCommandRunner.Shell} is missing", "install a POSIX shell at /bin/sh, or drop --on-change-command"));
        }

        return Task.FromResult(setsid is null
            ? DoctorResult.Warn(Name, $"{count} hook(s) run through {ShellCommandRunner.Shell}, but setsid was not found: a hook that times out is killed with its process tree only", "install util-linux (setsid) or put it on PATH")
            : DoctorResult.Ok(Name, $"{count} hook(s) run through {ShellCommandRunner.Shell} in a process group of their own ({setsid})"));
    }
}
