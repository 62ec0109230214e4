using System.Net;

namespace ProtonPortSync.NatPmp;

/// <summary>
/// Moves datagrams to and from the gateway; nothing else. Retries, deadlines and validation of what arrives live
/// in <see cref="NatPmpClient"/>.
/// </summary>
public interface INatPmpTransport : IDisposable
{
    /// <summary>Sends one datagram to the gateway.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for the next datagram, from any source. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires and <see cref="System.Net.Sockets.SocketException"/> with
    /// <see cref="System.Net.Sockets.SocketError.ConnectionRefused"/> when an ICMP port unreachable came back.
    /// </summary>
    ValueTask<NatPmpDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>A received datagram: its length in the caller's buffer and who sent it.</summary>
public readonly record struct NatPmpDatagram(int Length, IPEndPoint Source);
