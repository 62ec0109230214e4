using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp.Tests.Fakes;

namespace ProtonPortSync.NatPmp.Tests;

/// <summary>Success replies that grant nothing, and which internal ports tie a reply to a request (issues 9 and 13).</summary>
public sealed class NatPmpGrantTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedTransport _transport = new();
    private readonly NatPmpClient _client;

    public NatPmpGrantTests() => _client = new NatPmpClient(_transport, ScriptedTransport.Gateway, _time);

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("0081000000000064" + "00009C4A00000000", "lifetime 0")] // external 40010, lifetime 0
    [InlineData("0081000000000064" + "000000000000003C", "External port 0")] // external 0, lifetime 60
    public async Task MapAsync_SuccessGrantingNothing_ThrowsInvalidGrant(string reply, string named)
    {
        _transport.OnSend = (_, _) => _transport.Reply(reply);

        var ex = await Assert.ThrowsAsync<NatPmpException>(() => _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default));

        Assert.Equal(NatPmpFailure.InvalidGrant, ex.Failure);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Contains("failed renewal", ex.Message, StringComparison.Ordinal);
        Assert.Single(_transport.Sent);
    }

    [Fact]
    public async Task DeleteAsync_ReplyWithPortAndLifetimeZero_IsTheNormalAnswer()
    {
        _transport.OnSend = (_, _) => _transport.Reply("0081000000000064" + "0000000000000000");

        var mapping = await _client.DeleteAsync(NatPmpProtocol.Udp, 0, TimeSpan.FromSeconds(1), default);

        Assert.Equal(0, mapping.ExternalPort);
    }

    [Theory]
    [InlineData("00009C4A0000003C")] // Proton, documented request: internal 0
    [InlineData("9C4A9C4A0000003C")] // Proton, internal = granted external port
    public async Task MapAsync_InternalZeroRequested_AcceptsZeroOrExternalPort(string fields)
    {
        _transport.OnSend = (_, _) => _transport.Reply("0081000000000064" + fields);

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        Assert.Equal(40010, mapping.ExternalPort);
        Assert.Single(_transport.Sent);
    }

    [Theory]
    [InlineData("00009C4A0000003C")] // internal 0 when 5000 was asked
    [InlineData("9C4A9C4A0000003C")] // internal = external when 5000 was asked
    [InlineData("13899C4A0000003C")] // internal 5001
    public async Task MapAsync_RealInternalPortRequested_StrictEchoOnly(string fields)
    {
        _transport.OnSend = (_, _) =>
        {
            _transport.Reply("0081000000000064" + fields);
            _transport.Reply("0081000000000064" + "1388B0000000003C"); // the echo: internal 5000, external 45056
        };

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 5000, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);

        Assert.Equal(45056, mapping.ExternalPort);
    }

    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(0, 40010, 40010, true)]
    [InlineData(0, 7, 40010, false)]
    [InlineData(5000, 5000, 40010, true)]
    [InlineData(5000, 0, 40010, false)]
    [InlineData(5000, 40010, 40010, false)]
    public void IsOurInternalPort_Rules(int requested, int replyInternal, int replyExternal, bool expected)
        => Assert.Equal(expected, NatPmpClient.IsOurInternalPort((ushort)requested, new NatPmpMapFields((ushort)replyInternal, (ushort)replyExternal, 60)));

    [Theory]
    [InlineData(60, 60, 60)]
    [InlineData(60, 3600, 60)] // more than asked: rely on what was asked
    [InlineData(60, 30, 30)] // less than asked: the grant
    public async Task MapAsync_UsableLifetime_NeverMoreThanAsked(int asked, int granted, int usable)
    {
        _transport.OnSend = (_, _) => _transport.Reply("0081000000000064" + "00009C4A" + granted.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));

        var mapping = await _client.MapAsync(NatPmpProtocol.Udp, 0, 1, TimeSpan.FromSeconds(asked), TimeSpan.FromSeconds(5), default);

        Assert.Equal(TimeSpan.FromSeconds(granted), mapping.Lifetime);
        Assert.Equal(TimeSpan.FromSeconds(usable), mapping.UsableLifetime);
    }
}
