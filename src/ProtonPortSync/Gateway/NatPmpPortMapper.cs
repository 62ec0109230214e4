using System.Net;
using Microsoft.Extensions.Logging;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Gateway;

/// <summary>
/// <see cref="IPortMapper"/> over a <see cref="NatPmpClient"/> on a bound UDP socket. The socket is opened on first
/// use and again after a socket-level failure or <see cref="Reset"/>: a tunnel restart can remove the address it
/// was bound to. The gateway's epoch (RFC 6886 §3.6) is kept here, across those reopenings: a client opened after a
/// tunnel restart has seen no reply yet, so on its own it could not tell that the gateway lost its mappings.
/// </summary>
internal sealed class NatPmpPortMapper : IPortMapper, IDisposable
{
    private readonly IPEndPoint _gateway;
    private readonly IPAddress? _bindAddress;
    private readonly string? _interface;
    private readonly ushort _internalPort;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<INatPmpTransport>? _transportFactory;
    private NatPmpClient? _client;
    private NatPmpEpoch? _epoch;
    private bool _resetUnreported;

    public NatPmpPortMapper(IPEndPoint gateway, IPAddress? bindAddress, string? interfaceName, ushort internalPort, TimeSpan lifetime, TimeProvider time, ILogger logger, Func<INatPmpTransport>? transportFactory = null)
    {
        _gateway = gateway;
        _bindAddress = bindAddress;
        _interface = interfaceName;
        _internalPort = internalPort;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
        _transportFactory = transportFactory;
    }

    public async Task<NatPmpMapping> MapAsync(NatPmpProtocol protocol, ushort suggestedExternalPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var mapping = await UseAsync(c => c.MapAsync(protocol, _internalPort, suggestedExternalPort, _lifetime, timeout, cancellationToken));
        var reset = SawEpoch(mapping.SecondsSinceEpoch, mapping.ReceivedAt) || mapping.GatewayReset || _resetUnreported;
        _resetUnreported = false;
        return reset == mapping.GatewayReset ? mapping : mapping with { GatewayReset = reset };
    }

    public Task DeleteAsync(NatPmpProtocol protocol, TimeSpan timeout, CancellationToken cancellationToken)
        => UseAsync(c => c.DeleteAsync(protocol, _internalPort, timeout, cancellationToken));

    public async Task<IPAddress> GetPublicAddressAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await UseAsync(c => c.GetPublicAddressAsync(timeout, cancellationToken));

        // A reset seen here is reported with the next mapping, which is what the loop acts on.
        _resetUnreported |= SawEpoch(reply.SecondsSinceEpoch, reply.ReceivedAt) || reply.GatewayReset;
        return reply.Address;
    }

    public void Reset()
    {
        _client?.Dispose();
        _client = null;
    }

    public void Dispose() => Reset();

    /// <summary>Records the epoch of a reply and tells whether it shows a reset since the last one, whatever the socket.</summary>
    private bool SawEpoch(uint secondsSinceEpoch, DateTimeOffset receivedAt)
    {
        var reset = NatPmpEpoch.IsReset(_epoch, secondsSinceEpoch, receivedAt);
        _epoch = new NatPmpEpoch(secondsSinceEpoch, receivedAt);
        return reset;
    }

    private async Task<T> UseAsync<T>(Func<NatPmpClient, Task<T>> call)
    {
        _client ??= new NatPmpClient(
            _transportFactory?.Invoke() ?? UdpNatPmpTransport.Open(_gateway, _bindAddress, _interface),
            _gateway,
            _time,
            _logger);
        try
        {
            return await call(_client);
        }
        catch (NatPmpException ex) when (ex.Failure == NatPmpFailure.Network)
        {
            Reset();
            throw;
        }
    }
}
