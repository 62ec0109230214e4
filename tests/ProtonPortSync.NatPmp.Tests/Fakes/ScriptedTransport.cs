using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.NatPmp.Tests.Fakes;

/// <summary>
/// An in-memory transport: records every datagram sent, delivers the datagrams a test queues, and can fail a
/// receive with ECONNREFUSED. Tests await <see cref="WaitForSendsAsync"/> instead of sleeping.
/// </summary>
internal sealed class ScriptedTransport : INatPmpTransport
{
    public static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);

    private readonly Channel<Func<(byte[] Data, IPEndPoint Source)>> _incoming = Channel.CreateUnbounded<Func<(byte[], IPEndPoint)>>();
    private readonly List<byte[]> _sent = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _sendWaiters = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _receiveWaiters = [];
    private int _receives;

    /// <summary>Called on every send with the request and its 1-based number; may queue replies.</summary>
    public Action<byte[], int>? OnSend { get; set; }

    public IReadOnlyList<byte[]> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public bool Disposed { get; private set; }

    public void Reply(string hex, IPEndPoint? source = null) => Reply(Convert.FromHexString(hex), source);

    public void Reply(byte[] datagram, IPEndPoint? source = null)
        => _incoming.Writer.TryWrite(() => (datagram, source ?? Gateway));

    /// <summary>The next receive fails the way a connected UDP socket reports ICMP port unreachable.</summary>
    public void RefuseNextReceive()
        => _incoming.Writer.TryWrite(() => throw new SocketException((int)SocketError.ConnectionRefused));

    public Task WaitForSendsAsync(int count)
    {
        lock (_sent)
        {
            if (_sent.Count >= count)
            {
                return Task.CompletedTask;
            }

            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _sendWaiters.Add((count, tcs));
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Completes once the client has started its <paramref name="count"/>-th receive (it is then waiting).</summary>
    public Task WaitForReceivesAsync(int count)
    {
        lock (_sent)
        {
            if (_receives >= count)
            {
                return Task.CompletedTask;
            }

            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _receiveWaiters.Add((count, tcs));
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        var copy = datagram.ToArray();
        int n;
        lock (_sent)
        {
            _sent.Add(copy);
            n = _sent.Count;
            foreach (var w in _sendWaiters.Where(w => _sent.Count >= w.Count).ToList())
            {
                w.Done.TrySetResult();
                _sendWaiters.Remove(w);
            }
        }

        OnSend?.Invoke(copy, n);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<NatPmpDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var pending = _incoming.Reader.ReadAsync(cancellationToken);
        lock (_sent)
        {
            _receives++;
            foreach (var w in _receiveWaiters.Where(w => _receives >= w.Count).ToList())
            {
                w.Done.TrySetResult();
                _receiveWaiters.Remove(w);
            }
        }

        var next = await pending;
        var (data, source) = next();
        data.CopyTo(buffer);
        return new NatPmpDatagram(data.Length, source);
    }

    public void Dispose() => Disposed = true;
}
