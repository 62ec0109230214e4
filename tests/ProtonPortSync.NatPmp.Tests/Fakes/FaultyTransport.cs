using System.Net;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.NatPmp.Tests.Fakes;

/// <summary>
/// A transport whose sends and receives are scripted per call (1-based), for failures the in-memory gateway cannot
/// produce: a socket error on send, or a receive that ends early with <see cref="OperationCanceledException"/> the
/// way a timer firing a little early ends it.
/// </summary>
internal sealed class FaultyTransport : INatPmpTransport
{
    private int _sends;
    private int _receives;

    /// <summary>Called with the send's number; may throw.</summary>
    public Action<int>? OnSend { get; init; }

    /// <summary>Called with the receive's number; returns the reply bytes (from the gateway) or throws.</summary>
    public required Func<int, byte[]> OnReceive { get; init; }

    public int Sends => _sends;

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _sends);
        OnSend?.Invoke(n);
        return ValueTask.CompletedTask;
    }

    public ValueTask<NatPmpDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var data = OnReceive(Interlocked.Increment(ref _receives));
        data.CopyTo(buffer);
        return ValueTask.FromResult(new NatPmpDatagram(data.Length, ScriptedTransport.Gateway));
    }

    public void Dispose()
    {
    }
}
