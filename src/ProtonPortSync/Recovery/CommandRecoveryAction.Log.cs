using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Recovery;

internal sealed partial class CommandRecoveryAction
{
    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Started recovery command (pid {Pid}): {Command}")]
    private static partial void LogStarted(ILogger logger, int pid, string command);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Recovery command succeeded after {Seconds:0.###} s")]
    private static partial void LogSucceeded(ILogger logger, double seconds);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Recovery command (pid {Pid}) ran out of time; killed its process tree")]
    private static partial void LogKilled(ILogger logger, int pid);
}
