using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProtonPortSync.NatPmp;

/// <summary>
/// An RFC 6886 client: sends requests through an <see cref="INatPmpTransport"/>, retransmits on the schedule of
/// §3.1 but never past the caller's deadline, accepts only well-formed replies from the gateway, and tracks the
/// gateway's epoch (§3.6). One exchange at a time: NAT-PMP has no transaction id, so concurrent requests on one
/// socket could take each other's replies.
/// </summary>
public sealed partial class NatPmpClient : IDisposable
{
    /// <summary>§3.1: "Clients should therefore retransmit requests to the gateway ... starting with 250 ms".</summary>
    public static readonly TimeSpan InitialRetransmitTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>§3.1 doubles the wait on every retry; nine tries end at a 64 s wait.</summary>
    public static readonly TimeSpan MaxRetransmitTimeout = TimeSpan.FromSeconds(64);

    private readonly INatPmpTransport _transport;
    private readonly IPEndPoint _gateway;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _exchange = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[NatPmpCodec.MaxResponseLength];
    private NatPmpEpoch? _epoch;
    private bool _resetUnreported;

    public NatPmpClient(INatPmpTransport transport, IPEndPoint gateway, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _transport = transport;
        _gateway = gateway;
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Asks for the gateway's external address (§3.2).</summary>
    public async Task<NatPmpPublicAddress> GetPublicAddressAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new byte[NatPmpCodec.PublicAddressRequestLength];
        NatPmpCodec.WritePublicAddressRequest(request);
        IPAddress? address = null;
        var reply = await ExchangeAsync(request, NatPmpOpcode.PublicAddress, timeout, datagram =>
        {
            if (!NatPmpCodec.TryReadPublicAddressResponse(datagram, out var header, out var a))
            {
                return null;
            }

            address = a;
            return header;
        }, cancellationToken);
        return new NatPmpPublicAddress(address!, reply.Header.SecondsSinceEpoch, reply.ReceivedAt, reply.GatewayReset);
    }

    /// <summary>
    /// Creates or renews a mapping (§3.3). <paramref name="internalPort"/> 0 with <paramref name="suggestedExternalPort"/>
    /// 1 is ProtonVPN's documented request; a standards gateway refuses internal port 0 with result 2.
    /// </summary>
    public Task<NatPmpMapping> MapAsync(NatPmpProtocol protocol, ushort internalPort, ushort suggestedExternalPort, TimeSpan lifetime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (lifetime < TimeSpan.FromSeconds(1) || lifetime.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A mapping lifetime must be at least one second; use DeleteAsync to delete.");
        }

        return SendMapAsync(protocol, internalPort, suggestedExternalPort, (uint)lifetime.TotalSeconds, timeout, cancellationToken);
    }

    /// <summary>
    /// Deletes a mapping: §3.4 "a request ... with the Requested Lifetime in Seconds set to zero" and the suggested
    /// external port 0.
    /// </summary>
    public Task<NatPmpMapping> DeleteAsync(NatPmpProtocol protocol, ushort internalPort, TimeSpan timeout, CancellationToken cancellationToken)
        => SendMapAsync(protocol, internalPort, 0, 0, timeout, cancellationToken);

    public void Dispose()
    {
        _transport.Dispose();
        _exchange.Dispose();
    }

    private async Task<NatPmpMapping> SendMapAsync(NatPmpProtocol protocol, ushort internalPort, ushort suggestedExternalPort, uint lifetimeSeconds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (protocol is not (NatPmpProtocol.Udp or NatPmpProtocol.Tcp))
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Only UDP and TCP can be mapped.");
        }

        var request = new byte[NatPmpCodec.MapRequestLength];
        NatPmpCodec.WriteMapRequest(request, protocol, internalPort, suggestedExternalPort, lifetimeSeconds);
        NatPmpMapFields fields = default;
        var reply = await ExchangeAsync(request, (NatPmpOpcode)protocol, timeout, datagram =>
        {
            if (!NatPmpCodec.TryReadMapResponse(datagram, protocol, out var header, out var f))
            {
                return null;
            }

            // NAT-PMP has no transaction id: the echoed internal port is what ties a reply to this request. An
            // 8-byte error reply carries none and is accepted as the answer.
            if (datagram.Length == NatPmpCodec.MapResponseLength && !IsOurInternalPort(internalPort, f))
            {
                return null;
            }

            fields = f;
            return header;
        }, cancellationToken);
        if (lifetimeSeconds > 0 && (fields.LifetimeSeconds == 0 || fields.ExternalPort == 0))
        {
            throw new NatPmpException(
                NatPmpFailure.InvalidGrant,
                (NatPmpOpcode)protocol,
                _gateway,
                detail: string.Create(CultureInfo.InvariantCulture, $"(External port {fields.ExternalPort}, lifetime {fields.LifetimeSeconds} s: a mapping needs both non-zero.)"));
        }

        return new NatPmpMapping(protocol, internalPort, fields.ExternalPort, TimeSpan.FromSeconds(fields.LifetimeSeconds), reply.Header.SecondsSinceEpoch, reply.ReceivedAt, reply.GatewayReset)
        {
            RequestedLifetime = TimeSpan.FromSeconds(lifetimeSeconds),
        };
    }

    /// <summary>
    /// Whether a reply's internal port ties it to a request for <paramref name="requested"/>. A real internal port
    /// must be echoed (§3.3). For internal port 0 (ProtonVPN's documented request) Proton answers 0 or, for some
    /// requests, the granted external port (soxfor/qbittorrent-natmap #16); both are accepted, since only one request
    /// is ever outstanding and the opcode and source are still checked.
    /// </summary>
    internal static bool IsOurInternalPort(ushort requested, NatPmpMapFields reply)
        => reply.InternalPort == requested || (requested == 0 && reply.InternalPort == reply.ExternalPort);

    private async Task<Reply> ExchangeAsync(byte[] request, NatPmpOpcode opcode, TimeSpan timeout, Func<ReadOnlySpan<byte>, NatPmpResponseHeader?> read, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The exchange needs a positive timeout.");
        }

        await _exchange.WaitAsync(cancellationToken);
        try
        {
            var deadline = _time.GetUtcNow() + timeout;
            var wait = InitialRetransmitTimeout;
            for (var attempt = 1; ; attempt++)
            {
                await SendAsync(request, opcode, cancellationToken);
                var attemptEnd = Min(_time.GetUtcNow() + wait, deadline);
                var reply = await ReceiveUntilAsync(opcode, attemptEnd, read, cancellationToken);
                if (reply is { } r)
                {
                    return r;
                }

                // The attempt that was cut to the deadline is the last: a timer may fire a millisecond early, and
                // reading the clock alone would then send a burst of extra requests in the deadline's last instant.
                if (attemptEnd >= deadline || _time.GetUtcNow() >= deadline)
                {
                    throw new NatPmpException(NatPmpFailure.Timeout, opcode, _gateway, detail: $"({attempt} tries in {timeout.TotalSeconds:0.###} s.)");
                }

                Log.Retransmitting(_logger, opcode, _gateway, attempt, wait);
                wait = wait * 2 > MaxRetransmitTimeout ? MaxRetransmitTimeout : wait * 2;
            }
        }
        finally
        {
            _exchange.Release();
        }
    }

    private async Task SendAsync(byte[] request, NatPmpOpcode opcode, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(request, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw Translate(ex, opcode);
        }
    }

    private async Task<Reply?> ReceiveUntilAsync(NatPmpOpcode opcode, DateTimeOffset until, Func<ReadOnlySpan<byte>, NatPmpResponseHeader?> read, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = until - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            NatPmpDatagram datagram;
            try
            {
                if (await _transport.ReceiveAsync(_receiveBuffer, remaining, _time, cancellationToken) is not { } received)
                {
                    return null;
                }

                datagram = received;
            }
            catch (SocketException ex)
            {
                throw Translate(ex, opcode);
            }

            var receivedAt = _time.GetUtcNow();

            // §3.2: "Upon receiving a response packet, the client MUST check the source IP address, and silently
            // discard the packet if the address is not the address of the gateway to which the request was sent."
            if (!datagram.Source.Address.Equals(_gateway.Address) || datagram.Source.Port != _gateway.Port)
            {
                Log.Discarded(_logger, datagram.Source, "not from the gateway");
                continue;
            }

            var bytes = _receiveBuffer.AsSpan(0, datagram.Length);
            if (read(bytes) is not { } header)
            {
                Log.Discarded(_logger, datagram.Source, "not a valid reply to this request");
                continue;
            }

            if (NatPmpEpoch.IsReset(_epoch, header.SecondsSinceEpoch, receivedAt))
            {
                Log.EpochReset(_logger, _gateway, header.SecondsSinceEpoch);
                _resetUnreported = true;
            }

            _epoch = new NatPmpEpoch(header.SecondsSinceEpoch, receivedAt);
            if (header.ResultCode != NatPmpResultCode.Success)
            {
                throw new NatPmpException(NatPmpFailure.ResultCode, opcode, _gateway, header.ResultCode);
            }

            // A reset seen on an error reply is reported with the next successful one, so the caller never misses it.
            var reset = _resetUnreported;
            _resetUnreported = false;
            return new Reply(header, receivedAt, reset);
        }
    }

    private NatPmpException Translate(SocketException ex, NatPmpOpcode opcode) => ex.SocketErrorCode == SocketError.ConnectionRefused
        ? new NatPmpException(NatPmpFailure.ConnectionRefused, opcode, _gateway, innerException: ex)
        : new NatPmpException(NatPmpFailure.Network, opcode, _gateway, detail: ex.Message, innerException: ex);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private readonly record struct Reply(NatPmpResponseHeader Header, DateTimeOffset ReceivedAt, bool GatewayReset);

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Debug, "No reply to {Opcode} from {Gateway} after try {Attempt} ({Wait}); retransmitting")]
        public static partial void Retransmitting(ILogger logger, NatPmpOpcode opcode, IPEndPoint gateway, int attempt, TimeSpan wait);

        [LoggerMessage(1002, LogLevel.Debug, "Discarded a datagram from {Source}: {Reason}")]
        public static partial void Discarded(ILogger logger, IPEndPoint source, string reason);

        [LoggerMessage(1003, LogLevel.Warning, "Gateway {Gateway} lost its mapping state (epoch went back to {SecondsSinceEpoch} s, RFC 6886 §3.6)")]
        public static partial void EpochReset(ILogger logger, IPEndPoint gateway, uint secondsSinceEpoch);
    }
}
