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

    /// <summary>
    /// Waits up to <paramref name="timeout"/> on <paramref name="timeProvider"/>'s clock for the next datagram, from
    /// any source; null when the time is up. Errors as in <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>.
    /// By default a timer of <paramref name="timeProvider"/> cancels that receive; a transport that can wait with a
    /// timeout of its own (the kernel's, for a socket) does so on the real clock and spares the timer.
    /// </summary>
    ValueTask<NatPmpDatagram?> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
        => NatPmpTimedReceive.WithTimerAsync(this, buffer, timeout, timeProvider, cancellationToken);
}

/// <summary>A received datagram: its length in the caller's buffer and who sent it.</summary>
public readonly record struct NatPmpDatagram(int Length, IPEndPoint Source);
