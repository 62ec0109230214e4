using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>One datagram the scripted gateway sends: the bytes, whether from the wrong address, and how late.</summary>
internal readonly record struct ScriptedReply(byte[] Datagram, bool FromWrongAddress = false, TimeSpan Delay = default);

/// <summary>
/// A NAT-PMP gateway run in-process, on sockets made inside the test's namespace (127.0.0.1; a second socket on
/// 127.0.0.2 sends the spoofed replies), answering each request as <see cref="Behaviour"/> says. It keeps the time of
/// every request, so tests can bound the daemon's request rate. Delays are an in-process relay, not NFQUEUE.
/// </summary>
internal sealed class ScriptedGateway : IDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly Socket _spoof;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Socket _socket;
    private Task _loop;

    public ScriptedGateway(NetworkNamespace ns)
    {
        _ns = ns;
        _socket = Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _spoof = Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The gateway's answer to a request (bytes in, datagrams out); by default a healthy ProtonVPN gateway.</summary>
    public Func<byte[], IReadOnlyList<ScriptedReply>> Behaviour { get; set; } = _ => [];

    public ConcurrentQueue<TimeSpan> Requests { get; } = new();

    /// <summary>Seconds since this gateway's (scripted) start of epoch; <see cref="ResetEpoch"/> sets it back to 0.</summary>
    public uint Epoch => (uint)(_clock.Elapsed - _epochStart).TotalSeconds;

    private TimeSpan _epochStart;

    public void ResetEpoch() => _epochStart = _clock.Elapsed;

    /// <summary>A success reply to a mapping request, echoing its internal port unless told otherwise.</summary>
    public byte[] Grant(byte[] request, ushort externalPort, uint lifetime = 60, ushort? internalPort = null, NatPmpResultCode result = NatPmpResultCode.Success)
    {
        if (!NatPmpCodec.TryReadMapRequest(request, out var protocol, out var fields))
        {
            var address = new byte[12];
            NatPmpCodec.WritePublicAddressResponse(address, NatPmpResultCode.Success, Epoch, IPAddress.Parse("203.0.113.7"));
            return address;
        }

        var reply = new byte[16];
        NatPmpCodec.WriteMapResponse(reply, protocol, result, Epoch, new NatPmpMapFields(internalPort ?? fields.InternalPort, externalPort, lifetime));
        return reply;
    }

    /// <summary>Closes the socket for a while: requests then meet ICMP port unreachable (ECONNREFUSED).</summary>
    public async Task RefuseForAsync(TimeSpan duration)
    {
        _socket.Dispose();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.Delay(duration);
        _socket = Bind(EndPoint);
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The most requests seen within any one-second window.</summary>
    public int MaxRequestsPerSecond()
    {
        var times = Requests.Order().ToArray();
        var max = 0;
        for (int i = 0, j = 0; i < times.Length; i++)
        {
            while (times[i] - times[j] >= TimeSpan.FromSeconds(1))
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _spoof.Dispose();
        _stop.Dispose();
    }

    private Socket Bind(IPEndPoint at)
    {
        var socket = _ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(at);
        return socket;
    }

    private async Task ServeAsync()
    {
        var socket = _socket;
        var buffer = new byte[1100];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or SocketException)
            {
                return;
            }

            Requests.Enqueue(_clock.Elapsed);
            var request = buffer[..received.ReceivedBytes];
            foreach (var reply in Behaviour(request))
            {
                _ = SendAsync(reply.FromWrongAddress ? _spoof : socket, reply, received.RemoteEndPoint);
            }
        }
    }

    private async Task SendAsync(Socket from, ScriptedReply reply, EndPoint to)
    {
        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stop.Token);
            }

            await from.SendToAsync(reply.Datagram, to, _stop.Token);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The gateway stopped or was closed for a fault: the reply is lost, as on a real network.
        }
    }
}
