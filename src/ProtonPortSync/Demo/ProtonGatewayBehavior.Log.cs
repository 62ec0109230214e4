using Microsoft.Extensions.Logging;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Demo;

internal sealed partial class ProtonGatewayBehavior
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Gateway emulator forwards port {Port} now (was {Previous})")]
    private static partial void LogPortChosen(ILogger logger, ushort port, ushort previous);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Gateway emulator restarted: epoch reset, mappings forgotten")]
    private static partial void LogRestarted(ILogger logger);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Debug, Message = "Gateway emulator mapped {Protocol} to port {Port} for {Lifetime} s")]
    private static partial void LogMapped(ILogger logger, NatPmpProtocol protocol, ushort port, uint lifetime);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Debug, Message = "Gateway emulator deleted the {Protocol} mapping")]
    private static partial void LogDeleted(ILogger logger, NatPmpProtocol protocol);
}
