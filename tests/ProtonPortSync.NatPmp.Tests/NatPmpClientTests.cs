using System.Net;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp.Tests.Fakes;

namespace ProtonPortSync.NatPmp.Tests;

public sealed class NatPmpClientTests : IDisposable
{
    // Reply to "map UDP, internal 0": epoch 100, external 40010, lifetime 60.
    private const string UdpReply = "0081000000000064" + "00009C4A0000003C";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedTransport _transport = new();
    private readonly NatPmpClient _client;

    public NatPmpClientTests() => _client = new NatPmpClient(_transport, ScriptedTransport.Gateway, _time);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task MapAsync_ImmediateReply_ReturnsGrantedMapping()
    {
        _transport.OnSend = (_, _) => _transport.Reply(UdpReply);

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        Assert.Equal("00010000000000010000003C", Convert.ToHexString(Assert.Single(_transport.Sent)));
        Assert.Equal(40010, mapping.ExternalPort);
        Assert.Equal(TimeSpan.FromSeconds(60), mapping.Lifetime);
        Assert.Equal(100u, mapping.SecondsSinceEpoch);
        Assert.Equal(_time.GetUtcNow().AddSeconds(60), mapping.ExpiresAt);
        Assert.False(mapping.GatewayReset);
    }

    [Fact]
    public async Task MapAsync_NoReply_RetransmitsAt250msDoubling()
    {
        var start = _time.GetUtcNow();
        var sendTimes = new List<TimeSpan>();
        _transport.OnSend = (_, n) =>
        {
            sendTimes.Add(_time.GetUtcNow() - start);
            if (n == 4)
            {
                _transport.Reply(UdpReply);
            }
        };

        var task = _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), default);
        for (var sends = 1; sends < 4; sends++)
        {
            await _transport.WaitForReceivesAsync(sends);
            _time.Advance(TimeSpan.FromMilliseconds(249));
            Assert.Equal(sends, _transport.Sent.Count);
            _time.Advance(TimeSpan.FromMilliseconds((250 << (sends - 1)) - 249));
        }

        var mapping = await task;
        Assert.Equal(40010, mapping.ExternalPort);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(1750)], sendTimes);
    }

    [Fact]
    public async Task MapAsync_NoReplyBeforeDeadline_ThrowsTimeoutAtTheDeadline()
    {
        var start = _time.GetUtcNow();
        var task = _client.MapAsync(NatPmpProtocol.Tcp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), default);

        // Sends at 0, 250 and 750 ms; the third wait (1 s) is cut to the deadline at 1000 ms.
        foreach (var (receive, advanceMs) in new[] { (1, 250), (2, 500), (3, 250) })
        {
            await _transport.WaitForReceivesAsync(receive);
            _time.Advance(TimeSpan.FromMilliseconds(advanceMs));
        }

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => task);
        Assert.Equal(NatPmpFailure.Timeout, ex.Failure);
        Assert.Equal(NatPmpOpcode.MapTcp, ex.Opcode);
        Assert.Equal(3, _transport.Sent.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), _time.GetUtcNow() - start);
        Assert.Contains("bind address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_LateReplyToFirstSend_AcceptedAfterRetransmit()
    {
        var task = _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);
        await _transport.WaitForReceivesAsync(1);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await _transport.WaitForReceivesAsync(2);

        _transport.Reply(UdpReply);

        Assert.Equal(40010, (await task).ExternalPort);
        Assert.Equal(2, _transport.Sent.Count);
    }

    public static TheoryData<string, string> IgnoredReplies => new()
    {
        { "wrong source address", "10.2.0.9:5351" },
        { "wrong source port", "10.2.0.1:5350" },
    };

    [Theory]
    [MemberData(nameof(IgnoredReplies))]
    public async Task MapAsync_ReplyFromWrongSource_Ignored(string because, string source)
    {
        _transport.OnSend = (_, _) =>
        {
            _transport.Reply("0081000000000064" + "00001F900000003C", IPEndPoint.Parse(source));
            _transport.Reply(UdpReply);
        };

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        Assert.True(mapping.ExternalPort == 40010, because);
    }

    [Theory]
    [InlineData("0082000000000064" + "00009C4A0000003C")] // TCP reply to a UDP request
    [InlineData("0081000000000064" + "00079C4A0000003C")] // echoes internal port 7, we asked for 0
    [InlineData("0181000000000064" + "00009C4A0000003C")] // version 1
    [InlineData("0081000000000064" + "00009C4A000000")] // short
    [InlineData("0081000000000064" + "00009C4A0000003C00")] // long
    [InlineData("0080000000000064" + "01020304")] // public address reply
    public async Task MapAsync_NonMatchingReply_DiscardedSilently(string junk)
    {
        _transport.OnSend = (_, _) =>
        {
            _transport.Reply(junk);
            _transport.Reply(UdpReply);
        };

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        Assert.Equal(40010, mapping.ExternalPort);
        Assert.Single(_transport.Sent);
    }

    [Theory]
    [InlineData("0081000200000064", NatPmpResultCode.NotAuthorizedOrRefused)]
    [InlineData("0081000300000064" + "0000000000000000", NatPmpResultCode.NetworkFailure)]
    [InlineData("0081000400000064" + "0000000000000000", NatPmpResultCode.OutOfResources)]
    [InlineData("0081002A00000064", (NatPmpResultCode)42)]
    public async Task MapAsync_ErrorResultCode_ThrowsWithCodeAndNoRetry(string reply, NatPmpResultCode code)
    {
        _transport.OnSend = (_, _) => _transport.Reply(reply);

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default));

        Assert.Equal(NatPmpFailure.ResultCode, ex.Failure);
        Assert.Equal(code, ex.ResultCode);
        Assert.Single(_transport.Sent);
        Assert.Contains(((ushort)code).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_ConnectionRefused_FailsAtOnceWithProtonDiagnosis()
    {
        _transport.OnSend = (_, _) => _transport.RefuseNextReceive();
        var start = _time.GetUtcNow();

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), default));

        Assert.Equal(NatPmpFailure.ConnectionRefused, ex.Failure);
        Assert.Single(_transport.Sent);
        Assert.Equal(start, _time.GetUtcNow());
        Assert.Contains("port forwarding is not enabled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_EpochGoesBackwards_ReportsGatewayResetOnce()
    {
        var epochs = new Queue<string>(["00000064", "00000091", "00000003", "00000030"]); // 100, 145, 3, 48
        _transport.OnSend = (_, _) => _transport.Reply("00810000" + epochs.Dequeue() + "00009C4A0000003C");
        var resets = new List<bool>();

        for (var i = 0; i < 4; i++)
        {
            var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);
            resets.Add(mapping.GatewayReset);
            _time.Advance(TimeSpan.FromSeconds(45));
        }

        Assert.Equal([false, false, true, false], resets);
    }

    [Fact]
    public async Task MapAsync_ResetSeenOnErrorReply_ReportedOnNextSuccess()
    {
        var replies = new Queue<string>(["0081000000000064" + "00009C4A0000003C", "0081000300000002", "0081000000000003" + "00009C4B0000003C"]);
        _transport.OnSend = (_, _) => _transport.Reply(replies.Dequeue());
        var lifetime = TimeSpan.FromSeconds(60);
        var timeout = TimeSpan.FromSeconds(5);

        await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, lifetime, timeout, default);
        _time.Advance(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<NatPmpException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 40010, lifetime, timeout, default));
        var after = await _client.MapAsync(NatPmpProtocol.Udp, 0, 40010, lifetime, timeout, default);

        Assert.True(after.GatewayReset);
        Assert.Equal(40011, after.ExternalPort);
    }

    [Fact]
    public async Task DeleteAsync_SendsLifetimeZeroAndSuggestedZero()
    {
        _transport.OnSend = (_, _) => _transport.Reply("0082000000000064" + "9C4A000000000000");

        var deleted = await _client.DeleteAsync(NatPmpProtocol.Tcp, 40010, TimeSpan.FromSeconds(2), default);

        Assert.Equal("000200009C4A000000000000", Convert.ToHexString(Assert.Single(_transport.Sent)));
        Assert.Equal(0, deleted.ExternalPort);
        Assert.Equal(TimeSpan.Zero, deleted.Lifetime);
    }

    [Fact]
    public async Task GetPublicAddressAsync_Reply_ReturnsAddress()
    {
        _transport.OnSend = (_, _) => _transport.Reply("0080000000000064" + "01020304");

        var result = await _client.GetPublicAddressAsync(TimeSpan.FromSeconds(2), default);

        Assert.Equal("0000", Convert.ToHexString(Assert.Single(_transport.Sent)));
        Assert.Equal(IPAddress.Parse("1.2.3.4"), result.Address);
        Assert.Equal(100u, result.SecondsSinceEpoch);
    }

    [Fact]
    public async Task MapAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var task = _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), cts.Token);
        await _transport.WaitForSendsAsync(1);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task MapAsync_ZeroLifetime_RejectedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.Zero, TimeSpan.FromSeconds(1), default));

        Assert.Empty(_transport.Sent);
    }
}
