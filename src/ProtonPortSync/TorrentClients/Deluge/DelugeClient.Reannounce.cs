using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>
/// --reannounce: <c>core.force_reannounce</c> needs the torrent ids, so first <c>core.get_session_state</c> (every
/// torrent's id), then the reannounce with those ids, checked and encoded again.
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
            var state = await CallAsync("core.get_session_state", [], cancellationToken);
            var ids = TorrentIds(state)
                ?? throw Failure(TorrentClientFailure.InvalidResponse, $"core.get_session_state answered {Describe(state)}, not a list of torrent ids.");

            // Only ids checked here go back to deluged, re-encoded by us: never the peer's JSON as it came.
            var count = ids.Length;
            if (count > 0)
            {
                await CallAsync("core.force_reannounce", [JsonSerializer.SerializeToElement(ids, DelugeJsonContext.Default.StringArray)], cancellationToken);
            }

            Log.Reannounced(_logger, count);
        }
        catch (TorrentClientException e)
        {
            Log.ReannounceFailed(_logger, e.Message);
        }
    }

    /// <summary>The torrent ids (hexadecimal info-hashes, at most 64 digits) of a session state; null if it is anything else.</summary>
    internal static string[]? TorrentIds(JsonElement state)
    {
        if (state.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = new string[state.GetArrayLength()];
        var i = 0;
        foreach (var element in state.EnumerateArray())
        {
            if (PeerJson.String(element) is not { Length: > 0 and <= 64 } id || !id.All(char.IsAsciiHexDigit))
            {
                return null;
            }

            ids[i++] = id;
        }

        return ids;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2311, Level = LogLevel.Debug, Message = "Asked Deluge to reannounce its {Count} torrent(s)")]
        public static partial void Reannounced(ILogger logger, int count);

        [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "Deluge reannounce failed: {Reason}; the port change itself succeeded")]
        public static partial void ReannounceFailed(ILogger logger, string reason);
    }
}
