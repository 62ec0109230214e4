using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>Log messages of the Transmission adapter (event ids 2200–2299). None carries a secret.</summary>
internal sealed partial class TransmissionClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Transmission answered 409 with a session id (CSRF handshake); sending again with it")]
        public static partial void SessionIdReceived(ILogger logger);

        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Transmission's session id changed (it restarted?); sending again with the new one")]
        public static partial void SessionIdChanged(ILogger logger);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Transmission at {RpcUrl} refused the {Secret} for user '{Username}' (401). Not trying again before {RetryNotBefore:O} unless the file changes: 100 failed logins lock its RPC until it restarts. Fix the file or rpc-username/rpc-password.")]
        public static partial void CredentialsRefused(ILogger logger, Uri rpcUrl, string secret, string username, DateTimeOffset retryNotBefore);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Transmission at {RpcUrl} has locked its RPC after too many failed logins (403); it stays locked until transmission-daemon restarts. Waiting until {RetryNotBefore:O}.")]
        public static partial void LockedOut(ILogger logger, Uri rpcUrl, DateTimeOffset retryNotBefore);

        [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "The {Secret} changed since it was refused; trying it before the backoff ends")]
        public static partial void SecretChanged(ILogger logger, string secret);

        [LoggerMessage(EventId = 2206, Level = LogLevel.Information, Message = "Transmission peer port set to {Port} (was {PreviousPort}) and read back")]
        public static partial void PeerPortSet(ILogger logger, int port, int previousPort);

        [LoggerMessage(EventId = 2207, Level = LogLevel.Information, Message = "Rebinding Transmission's peer listener: {Port} -> {TemporaryPort} -> {Port}")]
        public static partial void Rebinding(ILogger logger, int port, int temporaryPort);

        [LoggerMessage(EventId = 2208, Level = LogLevel.Debug, Message = "Transmission RPC {Method} answered HTTP {StatusCode}")]
        public static partial void Answered(ILogger logger, string method, int statusCode);

        [LoggerMessage(EventId = 2209, Level = LogLevel.Warning, Message = "The {Secret} is sent to Transmission at {Url} over plain http:// to a host that is not loopback: anyone on the network path can read it. Use https://, or reach Transmission over loopback (an SSH tunnel, a local proxy)")]
        public static partial void CleartextSecret(ILogger logger, string secret, Uri url);
   

        [LoggerMessage(EventId = 2213, Level = LogLevel.Warning, Message = "Transmission's port test is on (--transmission-port-test): after each port change and every {IntervalMinutes} minutes, Transmission asks its outside port-check service to connect to the forwarded port, which tells that service the port and this tunnel's public address")]
        public static partial void PortTestOn(ILogger logger, double intervalMinutes);

        [LoggerMessage(EventId = 2214, Level = LogLevel.Debug, Message = "Transmission's port test: peer port {Port} is {Result}")]
        public static partial void PortTested(ILogger logger, int port, string result);

        [LoggerMessage(EventId = 2215, Level = LogLevel.Warning, Message = "Transmission's port test of peer port {Port} gave no answer ({Error}); reported as unknown, next test in {IntervalMinutes} minutes")]
        public static partial void PortTestFailed(ILogger logger, int port, string error, double intervalMinutes);
    }
}
