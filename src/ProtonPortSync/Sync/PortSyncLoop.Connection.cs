using Microsoft.Extensions.Logging;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Sync;

/// <summary>
/// The client's own view of reachability, read after each successful client check when the adapter offers it. It
/// never counts as a client failure: the port is what the loop keeps right; the status only informs, and a client
/// that stays disconnected while in sync gets its listener rebound (a few times an hour at most).
/// </summary>
internal sealed partial class PortSyncLoop
{
    private async Task ObserveConnectionAsync(CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        if (_client is not IConnectionStatusSource { ReportsConnectionStatus: true } source)
        {
            return;
        }

        ClientConnectionStatus status;
        try
        {
            status = await source.GetConnectionStatusAsync(cancellationToken);
        }
        catch (TorrentClientException ex)
        {
            Log.ConnectionUnread(_logger, _client.Name, ex.Message);
            status = ClientConnectionStatus.Unknown;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            Log.ConnectionUnread(_logger, _client.Name, "no answer before the next renewal");
            status = ClientConnectionStatus.Unknown;
        }

        var previous = State.ClientConnection;
        var verdict = SyncDecisions.AfterConnectionStatus(State, status, _time.GetUtcNow(), _settings);
        State = verdict.State;
        if (previous != status)
        {
            Log.ConnectionChanged(_logger, _client.Name, ClientConnectionStatusText.Name(status));
        }

        if (verdict.Action == ConnectionAction.Rebind)
        {
            Log.ConnectionRebind(_logger, _client.Name, _settings.DisconnectedChecksBeforeRebind);
        }
        else if (verdict.Action == ConnectionAction.RebindCapped)
        {
            Log.ConnectionRebindCapped(_logger, _client.Name, _settings.MaxConnectionRebindsPerHour);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2060, LogLevel.Information, "{Client} reports its connection status as {Status}")]
        public static partial void ConnectionChanged(ILogger logger, string client, string status);

        [LoggerMessage(2061, LogLevel.Debug, "{Client}'s connection status could not be read: {Error}")]
        public static partial void ConnectionUnread(ILogger logger, string client, string error);

        [LoggerMessage(2062, LogLevel.Warning, "{Client} listens on the forwarded port but has reported 'disconnected' for {Checks} checks in a row: rebinding its listener")]
        public static partial void ConnectionRebind(ILogger logger, string client, int checks);

        [LoggerMessage(2063, LogLevel.Warning, "{Client} still reports 'disconnected', but its listener was already rebound {MaxPerHour} times in the last hour; check its network interface setting and the tunnel")]
        public static partial void ConnectionRebindCapped(ILogger logger, string client, int maxPerHour);
    }
}
