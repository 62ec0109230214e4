using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Gateway;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;

namespace ProtonPortSync.Tests.Gateway;

public sealed class NatPmpPortMapperTests
{
    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<InMemoryGatewayTransport> _sockets = [];
    private uint _epoch = 1000;

    private NatPmpPortMapper Mapper() => new(Gateway, IPAddress.Loopback, null, 40000, TimeSpan.FromSeconds(60), _time, NullLogger.Instance, () =>
    {
        var t = new InMemoryGatewayTransport(Gateway, () => _epoch);
        _sockets.Add(t);
        return t;
    });

    [Fact]
    public async Task MapAsync_GatewayRestartedWhileTheSocketWasReopened_ResetStillReported()
    {
        using var mapper = Mapper();
        Assert.False((await mapper.MapAsync(NatPmpProtocol.Udp, 40000, TimeSpan.FromSeconds(1), default)).GatewayReset);

        // The tunnel restarts: the loop drops the socket, and the gateway comes back with a fresh epoch.
        mapper.Reset();
        _time.Advance(TimeSpan.FromSeconds(30));
        _epoch = 3;

        var mapping = await mapper.MapAsync(NatPmpProtocol.Udp, 40000, TimeSpan.FromSeconds(1), default);

        Assert.Equal(2, _sockets.Count);
        Assert.True(_sockets[0].Disposed);
        Assert.True(mapping.GatewayReset);
    }

    [Fact]
    public async Task MapAsync_EpochAdvancesWithTimeAcrossReopening_NoReset()
    {
        using var mapper = Mapper();
        await mapper.MapAsync(NatPmpProtocol.Udp, 40000, TimeSpan.FromSeconds(1), default);
        mapper.Reset();
        _time.Advance(TimeSpan.FromSeconds(30));
        _epoch += 30;

        Assert.False((await mapper.MapAsync(NatPmpProtocol.Tcp, 40000, TimeSpan.FromSeconds(1), default)).GatewayReset);
    }

    [Fact]
    public async Task GetPublicAddressAsync_ResetSeenThere_ReportedWithTheNextMappingOnce()
    {
        using var mapper = Mapper();
        await mapper.MapAsync(NatPmpProtocol.Udp, 40000, TimeSpan.FromSeconds(1), default);
        mapper.Reset();
        _epoch = 0;

        Assert.Equal(IPAddress.Parse("203.0.113.7"), await mapper.GetPublicAddressAsync(TimeSpan.FromSeconds(1), default));

        Assert.True((await mapper.MapAsync(NatPmpProtocol.Udp, 40000, TimeSpan.FromSeconds(1), default)).GatewayReset);
        Assert.False((await mapper.MapAsync(NatPmpProtocol.Tcp, 40000, TimeSpan.FromSeconds(1), default)).GatewayReset);
    }
}
