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

    [Fact]
    public async Task Open_BindAddress_DatagramsLeaveFromIt()
    {
        var bindAddress = IPAddress.Parse("127.0.0.2"); // on lo, like every 127/8 address, but not the default source
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, bindAddress);
        await transport.SendAsync(Convert.FromHexString("0000"), default);

        var received = await _gateway.ReceiveFromAsync(new byte[16], new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Bound);

        Assert.Equal(bindAddress, ((IPEndPoint)received.RemoteEndPoint).Address);
        Assert.Equal(bindAddress, transport.LocalEndPoint.Address);
    }

    [Fact]
    public async Task Open_NoAddressNoInterface_SourceChosenByTheRouteAndStillExchanges()
    {
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, localAddress: null);
        await transport.SendAsync(Convert.FromHexString("0000"), default);
        await EchoAsync("0080000000000064CB007100");

        var datagram = await transport.ReceiveAsync(new byte[16], Bound, TimeProvider.System, default);

        // Bound to 0.0.0.0, then connect(2) gave the socket the route's source address.
        Assert.Equal(IPAddress.Loopback, transport.LocalEndPoint.Address);
        Assert.Equal(new NatPmpDatagram(12, GatewayEndPoint), datagram);
    }

    [Fact]
    public async Task Open_InterfaceLo_BoundToItsIPv4Address()
    {
        using var transport = UdpNatPmpTransport.Open(GatewayEndPoint, localAddress: null, interfaceName: "lo");
        await transport.SendAsync(Convert.FromHexString("0000"), default);

        var received = await _gateway.ReceiveFromAsync(new byte[16], new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Bound);

        Assert.Equal(IPAddress.Loopback, transport.LocalEndPoint.Address);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)received.RemoteEndPoint).Address);
        Assert.Equal(IPAddress.Loopback, UdpNatPmpTransport.GetInterfaceIPv4Address("lo"));
    }

    [Fact]
    public void Open_InterfaceThatDoesNotExist_NetworkFailureNamingItAndTheFlags()
    {
        var ex = Assert.Throws<NatPmpException>(() => UdpNatPmpTransport.Open(GatewayEndPoint, localAddress: null, interfaceName: "pps-none0"));

        Assert.Equal(NatPmpFailure.Network, ex.Failure);
        Assert.Contains("Interface 'pps-none0' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--bind-address", ex.Message, StringComparison.Ordinal);
        Assert.Null(UdpNatPmpTransport.GetInterfaceIPv4Address("pps-none0"));
    }

    [Fact]
    public void Open_BindAddressNotOnThisHost_NetworkFailureNamingIt()
    {
        // TEST-NET-2: assigned to no interface here, so bind(2) says EADDRNOTAVAIL; nothing is sent.
        var ex = Assert.Throws<NatPmpException>(() => UdpNatPmpTransport.Open(GatewayEndPoint, IPAddress.Parse("198.51.100.77")));

        Assert.Equal(NatPmpFailure.Network, ex.Failure);
        Assert.Contains("Cannot bind to 198.51.100.77: no interface on this host has that address", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--bind-address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GatewayNotRoutableFromTheBindAddress_NetworkFailureNamingBoth()
    {
        // A socket bound to loopback has no route to a TEST-NET-2 address: connect(2) on UDP fails at the route lookup
        // (EINVAL), before anything is sent.
        var gateway = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 5351);

        var ex = Assert.Throws<NatPmpException>(() => UdpNatPmpTransport.Open(gateway, IPAddress.Loopback));

        Assert.Equal(NatPmpFailure.Network, ex.Failure);
        Assert.Contains("Cannot reach gateway 198.51.100.1:5351 from 127.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(ex.InnerException);
    }

    /// <summary>Waits for the transport's request at the peer and answers it with <paramref name="hex"/>.</summary>
    private async Task EchoAsync(string hex)
    {
        var request = new byte[16];
        var received = await _gateway.ReceiveFromAsync(request, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Bound);
        await _gateway.SendToAsync(Convert.FromHexString(hex), received.RemoteEndPoint);
    }
}
