using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp.Tests.Fakes;

namespace ProtonPortSync.NatPmp.Tests;

/// <summary>The retransmit schedule of RFC 6886 §3.1 at its edges: the 64 s cap, and the deadline's last instant.</summary>
public sealed class NatPmpClientDeadlineTests : IDisposable
{
    // Reply to "map UDP, internal 0": epoch 100, external 40010, lifetime 60.
    private const string UdpReply = "0081000000000064" + "00009C4A0000003C";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedTransport _transport = new();
    private readonly NatPmpClient _client;

    public NatPmpClientDeadlineTests() => _client = new NatPmpClient(_transport, ScriptedTransport.Gateway, _time);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task MapAsync_LongSilence_WaitDoublesThenStaysAt64Seconds()
    {
        var start = _time.GetUtcNow();
        var sendTimes = new List<double>();
        _transport.OnSend = (_, _) => sendTimes.Add((_time.GetUtcNow() - start).TotalSeconds);
        var task = _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(200), default);

        // 0.25 s doubling to 64 s (§3.1), then 64 s again instead of 128 s; the deadline cuts the 11th wait.
        double[] gaps = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 64, 8.25];
        for (var i = 0; i < gaps.Length; i++)
        {
            await _transport.WaitForReceivesAsync(i + 1);
            _time.Advance(TimeSpan.FromSeconds(gaps[i]));
        }

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => task);
        Assert.Equal(NatPmpFailure.Timeout, ex.Failure);
        Assert.Equal([0, 0.25, 0.75, 1.75, 3.75, 7.75, 15.75, 31.75, 63.75, 127.75, 191.75], sendTimes);
        Assert.Contains("(11 tries in 200 s.)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_ClockJumpsToTheDeadline_GivesUpWithoutAnotherRequest()
    {
        var task = _client.MapAsync(NatPmpProtocol.Tcp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), default);
        await _transport.WaitForReceivesAsync(1);

        // The first 250 ms wait ends only when the clock is already at the deadline (a suspended machine, a busy host).
        _time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => task);
        Assert.Equal(NatPmpFailure.Timeout, ex.Failure);
        Assert.Single(_transport.Sent);
        Assert.Contains("(1 tries in 1 s.)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_TimerEndsLastAttemptEarly_NoBurstOfRequests()
    {
        // The only attempt is cut to the deadline (timeout 250 ms); its receive ends before the clock reaches it, as
        // when a timer fires a millisecond early. A reply is ready for any further request, so one more send would
        // turn the timeout into a mapping.
        var transport = new FaultyTransport
        {
            OnReceive = n => n == 1 ? throw new OperationCanceledException() : Convert.FromHexString(UdpReply),
        };
        using var client = new NatPmpClient(transport, ScriptedTransport.Gateway, _time);

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), default));

        Assert.Equal(NatPmpFailure.Timeout, ex.Failure);
        Assert.Equal(1, transport.Sends);
    }

    [Fact]
    public async Task MapAsync_TimerEndsEarlyBeforeTheDeadline_RetransmitsAndTakesTheReply()
    {
        var transport = new FaultyTransport
        {
            OnReceive = n => n == 1 ? throw new OperationCanceledException() : Convert.FromHexString(UdpReply),
        };
        using var client = new NatPmpClient(transport, ScriptedTransport.Gateway, _time);

        var mapping = await client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        Assert.Equal(40010, mapping.ExternalPort);
        Assert.Equal(2, transport.Sends);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task MapAsync_TimeoutNotPositive_RejectedBeforeSending(int timeoutMs)
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(timeoutMs), default));

        Assert.Equal("timeout", ex.ParamName);
        Assert.Empty(_transport.Sent);
    }

    [Fact]
    public async Task MapAsync_OneMillisecondTimeout_OneRequestThenTimeout()
    {
        var task = _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(1), default);
        await _transport.WaitForReceivesAsync(1);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => task);

        Assert.Equal(NatPmpFailure.Timeout, ex.Failure);
        Assert.Single(_transport.Sent);
    }
}
