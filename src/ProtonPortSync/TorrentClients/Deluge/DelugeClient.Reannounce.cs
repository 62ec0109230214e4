using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>
/// --reannounce: <c>core.force_reannounce</c> needs the torrent ids, so first <c>core.get_session_state</c> (every
/// torrent's id), then the reannounce with that list as it came.
/// </summary>
internal sealed partial class DelugeClient
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
            var ids = await CallAsync("core.get_session_state", [], cancellationToken);
            if (ids.ValueKind != JsonValueKind.Array || ids.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw Failure(TorrentClientFailure.InvalidResponse, $"core.get_session_state answered {Describe(ids)}, not a list of torrent ids.");
            }

            var count = ids.GetArrayLength();
            if (count > 0)
            {
                await CallAsync("core.force_reannounce", [ids], cancellationToken);
            }

            Log.Reannounced(_logger, count);
        }
        catch (TorrentClientException e)
        {
            Log.ReannounceFailed(_logger, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2311, Level = LogLevel.Debug, Message = "Asked Deluge to reannounce its {Count} torrent(s)")]
        public static partial void Reannounced(ILogger logger, int count);

        [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "Deluge reannounce failed: {Reason}; the port change itself succeeded")]
        public static partial void ReannounceFailed(ILogger logger, string reason);
    }
}
