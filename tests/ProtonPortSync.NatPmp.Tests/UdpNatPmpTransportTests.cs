using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace ProtonPortSync.NatPmp.Tests;

/// <summary>
/// The UDP transport on loopback, against a peer socket playing the gateway. On the real clock a receive waits in
/// poll(2) on the calling thread; these tests never wait for a timeout longer than a few milliseconds.
/// </summary>
public sealed class UdpNatPmpTransportTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly Socket _gateway = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpNatPmpTransportTests() => _gateway.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    private IPEndPoint GatewayEndPoint => (IPEndPoint)_gateway.LocalEndPoint!;

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task ReceiveAsync_RealClockReplyArrives_ReturnsItWithItsSource()
    {
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, IPAddress.Loopback);
        await transport.SendAsync(Convert.FromHexString("0000"), default);
        await EchoAsync("0080000000000064CB007100");

        var buffer = new byte[NatPmpCodec.MaxResponseLength];
        var datagram = await transport.ReceiveAsync(buffer, Bound, TimeProvider.System, default);

        Assert.Equal(new NatPmpDatagram(12, GatewayEndPoint), datagram);
        Assert.Equal("0080000000000064CB007100", Convert.ToHexString(buffer, 0, 12));
    }

    [Fact]
    public async Task ReceiveAsync_RealClockPortUnreachable_ThrowsConnectionRefusedAtOnce()
    {
        var closed = GatewayEndPoint;
        _gateway.Dispose();
        using var transport = UdpNatPmpTransport.Open(closed, IPAddress.Loopback);
        await transport.SendAsync(Convert.FromHexString("0000"), default);

        // The ICMP error ends poll(2) without making the socket readable; it must still end the wait at once.
        var ex = await Assert.ThrowsAsync<SocketException>(async () => await transport.ReceiveAsync(new byte[16], Bound, TimeProvider.System, default));

        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }

    [Fact]
    public async Task ReceiveAsync_RealClockNoReply_NullAfterTheTimeout()
    {
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, IPAddress.Loopback);

        var datagram = await transport.ReceiveAsync(new byte[16], TimeSpan.FromMilliseconds(2), TimeProvider.System, default);

        Assert.Null(datagram);
    }

    [Fact]
    public async Task ReceiveAsync_RealClockCancelled_Throws()
    {
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, IPAddress.Loopback);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await transport.ReceiveAsync(new byte[16], Bound, TimeProvider.System, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task ReceiveAsync_FakeClock_EndsWithThatClocksTimer()
    {
        var time = new FakeTimeProvider();
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, IPAddress.Loopback);

        var pending = transport.ReceiveAsync(new byte[16], TimeSpan.FromSeconds(1), time, default).AsTask();
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await pending.WaitAsync(Bound));
    }

    [Fact]
    public async Task MapAsync_RealClockOverLoopback_GrantFromThePeer()
    {
        using var client = new NatPmpClient(UdpNatPmpTransport.Open(GatewayEndPoint, IPAddress.Loopback), GatewayEndPoint, TimeProvider.System);

        // The exchange waits on the calling thread: started on another, so that this one can answer.
        var mapping = Task.Run(() => client.MapAsync(NatPmpProtocol.Tcp, 40000, 40000, TimeSpan.FromSeconds(60), Bound, default));
        await EchoAsync("0082000000000064" + "9C409C400000003C");

        Assert.Equal(40000, (await mapping.WaitAsync(Bound)).ExternalPort);
    }

    /// <summary>Waits for the transport's request at the peer and answers it with <paramref name="hex"/>.</summary>
    private async Task EchoAsync(string hex)
    {
        var request = new byte[16];
        var received = await _gateway.ReceiveFromAsync(request, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Bound);
        await _gateway.SendToAsync(Convert.FromHexString(hex), received.RemoteEndPoint);
    }
}
