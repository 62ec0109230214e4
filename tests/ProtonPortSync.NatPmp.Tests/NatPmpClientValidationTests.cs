using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp.Tests.Fakes;

namespace ProtonPortSync.NatPmp.Tests;

/// <summary>Arguments, socket errors, disposal and logging of <see cref="NatPmpClient"/>.</summary>
public sealed class NatPmpClientValidationTests : IDisposable
{
    // Reply to "map UDP, internal 0": epoch 100, external 40010, lifetime 60.
    private const string UdpReply = "0081000000000064" + "00009C4A0000003C";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedTransport _transport = new();
    private readonly CapturingLogger _logger = new();
    private readonly NatPmpClient _client;

    public NatPmpClientValidationTests() => _client = new NatPmpClient(_transport, ScriptedTransport.Gateway, _time, _logger);

    public void Dispose() => _client.Dispose();

    [Fact]
    public void Constructor_NullArgument_ThrowsNamingIt()
    {
        Assert.Equal("transport", Assert.Throws<ArgumentNullException>(() => new NatPmpClient(null!, ScriptedTransport.Gateway, _time)).ParamName);
        Assert.Equal("gateway", Assert.Throws<ArgumentNullException>(() => new NatPmpClient(_transport, null!, _time)).ParamName);
        Assert.Equal("timeProvider", Assert.Throws<ArgumentNullException>(() => new NatPmpClient(_transport, ScriptedTransport.Gateway, null!)).ParamName);
    }

    [Fact]
    public async Task Dispose_Always_DisposesTransportAndRefusesFurtherExchanges()
    {
        _transport.OnSend = (_, _) => _transport.Reply(UdpReply);

        _client.Dispose();

        Assert.True(_transport.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default));
        Assert.Empty(_transport.Sent);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task MapAsync_ProtocolNotUdpOrTcp_RejectedBeforeSending(byte protocol)
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.MapAsync((NatPmpProtocol)protocol, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default));

        Assert.Equal("protocol", ex.ParamName);
        Assert.Contains("UDP and TCP", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Sent);
    }

    [Theory]
    [InlineData(1.0, "0001000000000001" + "00000001")] // the shortest lifetime the field can carry
    [InlineData(4294967295.0, "0001000000000001" + "FFFFFFFF")] // the longest
    public async Task MapAsync_LifetimeAtTheWireFieldEdges_Sent(double seconds, string expectedRequest)
    {
        _transport.OnSend = (_, _) => _transport.Reply(UdpReply);

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(5), default);

        Assert.Equal(expectedRequest, Convert.ToHexString(Assert.Single(_transport.Sent)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), mapping.RequestedLifetime);
    }

    [Theory]
    [InlineData(4294967296.0)] // one second more than the 32-bit field holds
    [InlineData(0.5)] // would be truncated to 0 on the wire: a delete (§3.4), not a mapping
    [InlineData(-1.0)]
    public async Task MapAsync_LifetimeOutsideTheWireField_RejectedBeforeSending(double seconds)
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(5), default));

        Assert.Equal("lifetime", ex.ParamName);
        Assert.Contains("DeleteAsync", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Sent);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, NatPmpFailure.ConnectionRefused)]
    [InlineData(SocketError.NetworkUnreachable, NatPmpFailure.Network)]
    public async Task MapAsync_SendFails_TranslatedWithoutRetry(SocketError error, NatPmpFailure expected)
    {
        var transport = new FaultyTransport
        {
            OnSend = _ => throw new SocketException((int)error),
            OnReceive = _ => Convert.FromHexString(UdpReply),
        };
        using var client = new NatPmpClient(transport, ScriptedTransport.Gateway, _time);

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default));

        Assert.Equal(expected, ex.Failure);
        Assert.Equal(NatPmpOpcode.MapUdp, ex.Opcode);
        Assert.IsType<SocketException>(ex.InnerException);
        Assert.Equal(1, transport.Sends);
    }

    [Fact]
    public async Task MapAsync_ReceiveFailsWithOtherSocketError_NetworkFailureNamingTheError()
    {
        var unreachable = new SocketException((int)SocketError.HostUnreachable);
        var transport = new FaultyTransport { OnReceive = _ => throw unreachable };
        using var client = new NatPmpClient(transport, ScriptedTransport.Gateway, _time);

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => client.MapAsync(NatPmpProtocol.Tcp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default));

        Assert.Equal(NatPmpFailure.Network, ex.Failure);
        Assert.Contains(unreachable.Message, ex.Message, StringComparison.Ordinal); // the system's words ("No route to host")
        Assert.Equal(1, transport.Sends);
    }

    [Fact]
    public async Task GetPublicAddressAsync_MalformedReplyFirst_DiscardedAndValidOneTaken()
    {
        _transport.OnSend = (_, _) =>
        {
            _transport.Reply("0080000000000064" + "010203"); // short
            _transport.Reply("0081000000000064" + "00009C4A0000003C"); // a map reply
            _transport.Reply("0080000000000065" + "05060708");
        };

        var result = await _client.GetPublicAddressAsync(TimeSpan.FromSeconds(2), default);

        Assert.Equal(IPAddress.Parse("5.6.7.8"), result.Address);
        Assert.Equal(101u, result.SecondsSinceEpoch);
        Assert.Single(_transport.Sent);
    }

    [Fact]
    public async Task MapAsync_EpochWentBack_WarnsWithTheGatewayAndEpoch()
    {
        var epochs = new Queue<string>(["00000064", "00000003"]); // 100, then 3 after 45 s
        _transport.OnSend = (_, _) => _transport.Reply("00810000" + epochs.Dequeue() + "00009C4A0000003C");

        await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);
        _time.Advance(TimeSpan.FromSeconds(45));
        await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(1003, warning.EventId);
        Assert.Contains("10.2.0.1:5351", warning.Message, StringComparison.Ordinal);
        Assert.Contains("back to 3 s", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_Retransmit_LogsEachTryAtDebug()
    {
        _transport.OnSend = (_, n) =>
        {
            if (n == 3)
            {
                _transport.Reply(UdpReply);
            }
        };
        var task = _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);
        await _transport.WaitForReceivesAsync(1);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await _transport.WaitForReceivesAsync(2);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        await task;

        var retries = _logger.Entries.Where(e => e.EventId == 1001).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, e => Assert.Equal(LogLevel.Debug, e.Level));
    }
}
