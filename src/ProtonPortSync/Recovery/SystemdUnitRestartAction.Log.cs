using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Recovery;

internal sealed partial class SystemdUnitRestartAction
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Asked systemd to restart {Unit}; job {Job}")]
    private static partial void LogRestartQueued(ILogger logger, string unit, string job);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "The system D-Bus connection was lost; reconnecting to {Address}")]
    private static partial void LogReconnecting(ILogger logger, string address);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Connected to the system D-Bus at {Address}")]
    private static partial void LogConnected(ILogger logger, string address);
}
