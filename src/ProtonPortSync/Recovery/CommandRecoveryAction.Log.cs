using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Recovery;

internal sealed partial class CommandRecoveryAction
{
    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Recovery command succeeded after {Seconds:0.###} s")]
    private static partial void LogSucceeded(ILogger logger, double seconds);
}
