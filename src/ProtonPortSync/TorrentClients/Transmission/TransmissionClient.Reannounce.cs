using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>--reannounce: <c>torrent-reannounce</c> without ids (every torrent) after a port change.</summary>
internal sealed partial class TransmissionClient
{
    /// <summary>A failed reannounce is logged and forgotten: the port change itself succeeded.</summary>
    protected override async Task AfterPortChangeAsync(CancellationToken cancellationToken)
    {
        if (!_options.Reannounce)
        {
            return;
        }

        try
        {
            await CallAsync(new TransmissionRequest { Method = "torrent-reannounce", Arguments = new() }, cancellationToken);
            Log.Reannounced(_logger);
        }
        catch (TorrentClientException e)
        {
            Log.ReannounceFailed(_logger, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2211, Level = LogLevel.Debug, Message = "Asked Transmission to reannounce every torrent")]
        public static partial void Reannounced(ILogger logger);

        [LoggerMessage(EventId = 2212, Level = LogLevel.Warning, Message = "Transmission reannounce failed: {Reason}; the port change itself succeeded")]
        public static partial void ReannounceFailed(ILogger logger, string reason);
    }
}
