using System.Net;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Sync;

internal sealed partial class PortSyncLoop
{
    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "Starting: keeping {Client} on the forwarded port; recovery: {Recovery}")]
        public static partial void Starting(ILogger logger, string client, string recovery);

        [LoggerMessage(2002, LogLevel.Information, "Forwarded port is now {Port} (was {Previous}); lease until {ExpiresAt:O}")]
        public static partial void PortChanged(ILogger logger, int port, string previous, DateTimeOffset expiresAt);

        [LoggerMessage(2003, LogLevel.Debug, "Renewed port {Port}; next renewal at {NextRenewAt:O}")]
        public static partial void Renewed(ILogger logger, int port, DateTimeOffset nextRenewAt);

        [LoggerMessage(2004, LogLevel.Warning, "UDP and TCP were mapped to different ports ({UdpPort}, {TcpPort}); using TCP's")]
        public static partial void ProtocolMismatch(ILogger logger, int udpPort, int tcpPort);

        [LoggerMessage(2005, LogLevel.Warning, "The gateway lost its mappings (epoch reset, RFC 6886 §3.6); mapped again: port {Port}")]
        public static partial void GatewayReset(ILogger logger, int port);

        [LoggerMessage(2006, LogLevel.Warning, "Renewal failed ({Failures} of {MaxFailures} before recovery): {Error}")]
        public static partial void RenewalFailed(ILogger logger, int failures, int maxFailures, string error);

        [LoggerMessage(2007, LogLevel.Information, "The gateway answers again")]
        public static partial void GatewayBack(ILogger logger);

        [LoggerMessage(2008, LogLevel.Warning, "{Failures} renewals failed in a row: recovering ({Recovery})")]
        public static partial void Recovering(ILogger logger, int failures, string recovery);

        [LoggerMessage(2009, LogLevel.Error, "Recovery failed: {Error}")]
        public static partial void RecoveryFailed(ILogger logger, string error);

        [LoggerMessage(2010, LogLevel.Error, "Not recovering ({Recovery}): already {MaxPerHour} recoveries in the last hour. The server may be down or port forwarding may be off; check the tunnel")]
        public static partial void RecoveryCapped(ILogger logger, int maxPerHour, string recovery);

        [LoggerMessage(2011, LogLevel.Information, "{Client} listens on {Actual}, not on the forwarded port {Mapped}: updating")]
        public static partial void Drift(ILogger logger, string client, int actual, int mapped);

        [LoggerMessage(2012, LogLevel.Information, "{Client} now listens on {Port} (read back)")]
        public static partial void ClientUpdated(ILogger logger, string client, int port);

        [LoggerMessage(2013, LogLevel.Information, "{Client} rebound its listener on {Port} after the tunnel came back")]
        public static partial void Rebound(ILogger logger, string client, int port);

        [LoggerMessage(2014, LogLevel.Warning, "{Client}: {Error}; next try at {RetryAt:O}")]
        public static partial void ClientFailed(ILogger logger, string client, string error, DateTimeOffset retryAt);

        [LoggerMessage(2015, LogLevel.Error, "{Client}: {Error}; not trying again before {RetryAt:O}")]
        public static partial void ClientNeedsOperator(ILogger logger, string client, string error, DateTimeOffset retryAt);

        [LoggerMessage(2016, LogLevel.Information, "{Client} answers again")]
        public static partial void ClientBack(ILogger logger, string client);

        [LoggerMessage(2017, LogLevel.Information, "Released the mappings of port {Port}")]
        public static partial void Released(ILogger logger, int port);

        [LoggerMessage(2018, LogLevel.Warning, "Could not delete the {Protocol} mapping at shutdown (it lapses by itself): {Error}")]
        public static partial void ReleaseFailed(ILogger logger, string protocol, string error);

        [LoggerMessage(2019, LogLevel.Information, "Stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(2020, LogLevel.Information, "Gateway's public address: {Address}")]
        public static partial void PublicAddress(ILogger logger, IPAddress address);

        [LoggerMessage(2021, LogLevel.Debug, "Public address unknown: {Error}")]
        public static partial void PublicAddressUnknown(ILogger logger, string error);
    }
}
