using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Processes;

internal sealed partial class ShellCommandRunner
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Started {Name} (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "{Name}: {Line}")]
    private static partial void LogOutput(ILogger logger, string name, string line);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Killed what was left of {Name}'s process group {Pid}")]
    private static partial void LogGroupKilled(ILogger logger, string name, int pid);
}
