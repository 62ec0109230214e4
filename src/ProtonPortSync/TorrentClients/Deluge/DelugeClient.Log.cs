using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>Log messages of the Deluge adapter (event ids 2300–2399). None carries a secret.</summary>
internal sealed partial class DelugeClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Logged in to deluge-web at {Url}")]
        public static partial void LoggedIn(ILogger logger, Uri url);

        [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "deluge-web answered 'Not authenticated' to {Method} (session missing or expired); logging in again once")]
        public static partial void SessionExpired(ILogger logger, string method);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "deluge-web at {Url} refused the {Secret}. Not trying again before {RetryNotBefore:O} unless the file changes. Fix the file or Deluge's Web UI password.")]
        public static partial void CredentialsRefused(ILogger logger, Uri url, string secret, DateTimeOffset retryNotBefore);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "The {Secret} changed since it was refused; trying it before the backoff ends")]
        public static partial void SecretChanged(ILogger logger, string secret);

        [LoggerMessage(EventId = 2305, Level = LogLevel.Information, Message = "deluge-web connected to deluged at {Host}:{Port}")]
        public static partial void ConnectedToDaemon(ILogger logger, string host, int port);

        [LoggerMessage(EventId = 2306, Level = LogLevel.Information, Message = "Deluge listen port set to {Port} (was {PreviousPort}) and read back")]
        public static partial void ListenPortSet(ILogger logger, int port, int previousPort);

        [LoggerMessage(EventId = 2307, Level = LogLevel.Information, Message = "Rebinding Deluge's listener: {Port} -> {TemporaryPort} -> {Port}")]
        public static partial void Rebinding(ILogger logger, int port, int temporaryPort);

        [LoggerMessage(EventId = 2308, Level = LogLevel.Debug, Message = "deluge-web {Method} answered HTTP {StatusCode}")]
        public static partial void Answered(ILogger logger, string method, int statusCode);

        [LoggerMessage(EventId = 2309, Level = LogLevel.Warning, Message = "The {Secret} is sent to deluge-web at {Url} over plain http:// to a host that is not loopback: anyone on the network path can read it. Use https://, or reach deluge-web over loopback (an SSH tunnel, a local proxy)")]
        public static partial void CleartextSecret(ILogger logger, string secret, Uri url);
    }
}
