using System.Net;
using System.Threading.Channels;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Tests.Fakes;

/// <summary>
/// A NAT-PMP gateway behind an in-memory transport: answers every map request with success, the suggested port and
/// the gateway's <see cref="SecondsSinceEpoch"/>, which the test sets (a gateway that restarts goes back to 0).
/// </summary>
internal sealed class InMemoryGatewayTransport(IPEndPoint gateway, Func<uint> secondsSinceEpoch) : INatPmpTransport
{
    private readonly Channel<byte[]> _replies = Channel.CreateUnbounded<byte[]>();

    public bool Disposed { get; private set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        var reply = new byte[NatPmpCodec.MaxResponseLength];
        int length;
        if (NatPmpCodec.TryReadMapRequest(datagram.Span, out var protocol, out var fields))
        {
            length = NatPmpCodec.WriteMapResponse(reply, protocol, NatPmpResultCode.Success, secondsSinceEpoch(), fields);
        }
        else
        {
            length = NatPmpCodec.WritePublicAddressResponse(reply, NatPmpResultCode.Success, secondsSinceEpoch(), IPAddress.Parse("203.0.113.7"));
        }

        _replies.Writer.TryWrite(reply[..length]);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<NatPmpDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var reply = await _replies.Reader.ReadAsync(cancellationToken);
        reply.CopyTo(buffer);
        return new NatPmpDatagram(reply.Length, gateway);
    }

    public void Dispose() => Disposed = true;
}
