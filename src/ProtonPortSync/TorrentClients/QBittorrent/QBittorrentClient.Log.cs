using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>Log messages of the qBittorrent adapter (event ids 2100–2149). None carries a secret.</summary>
internal sealed partial class QBittorrentClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Logged in to qBittorrent at {BaseUrl} as '{Username}'")]
        public static partial void LoggedIn(ILogger logger, Uri baseUrl, string username);

        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "qBittorrent answered 403 to {Endpoint} (session missing or expired); logging in again once")]
        public static partial void SessionExpired(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "qBittorrent at {BaseUrl} refused the {Secret} for '{Username}'. Not trying again before {RetryNotBefore:O} unless the file changes: 5 failed logins ban this address for an hour. Fix the file or qBittorrent's WebUI credentials.")]
        public static partial void CredentialsRefused(ILogger logger, Uri baseUrl, string secret, string username, DateTimeOffset retryNotBefore);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "qBittorrent at {BaseUrl} has banned this address (403 at login, after too many failed logins). Waiting until {RetryNotBefore:O}; restarting qBittorrent lifts the ban sooner.")]
        public static partial void Banned(ILogger logger, Uri baseUrl, DateTimeOffset retryNotBefore);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "The {Secret} changed since it was refused; trying it before the backoff ends")]
        public static partial void SecretChanged(ILogger logger, string secret);

        [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "qBittorrent listen port set to {Port} (was {PreviousPort}) and read back")]
        public static partial void ListenPortSet(ILogger logger, int port, int previousPort);

        [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Rebinding qBittorrent's listener: {Port} -> {TemporaryPort} -> {Port}")]
        public static partial void Rebinding(ILogger logger, int port, int temporaryPort);

        [LoggerMessage(EventId = 2108, Level = LogLevel.Debug, Message = "Asked qBittorrent to reannounce every torrent")]
        public static partial void Reannounced(ILogger logger);

        [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "qBittorrent reannounce failed: {Reason}; the port change itself succeeded")]
        public static partial void ReannounceFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 2110, Level = LogLevel.Debug, Message = "qBittorrent request {Endpoint} answered {StatusCode}")]
        public static partial void Answered(ILogger logger, string endpoint, int statusCode);

        [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "qBittorrent told trackers port {AnnouncePort} instead of its listening port (announce_port); set it to 0 so trackers hear {Port}")]
        public static partial void AnnouncePortReset(ILogger logger, int announcePort, int port);

        [LoggerMessage(EventId = 2113, Level = LogLevel.Information, Message = "qBittorrent now tells trackers port {Port} (announce_port, was {PreviousAnnouncePort}), the forwarded port, as --qbt-announce-port forwarded asks")]
        public static partial void AnnouncePortForwarded(ILogger logger, int port, int previousAnnouncePort);

        [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "The {Secret} is sent to qBittorrent at {Url} over plain http:// to a host that is not loopback: anyone on the network path can read it. Use https://, or reach qBittorrent over loopback (an SSH tunnel, a local proxy)")]
        public static partial void CleartextSecret(ILogger logger, string secret, Uri url);
    }
}
