using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

public sealed class TransmissionClientPortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1023)]
    [InlineData(65536)]
    [InlineData(70000)]
    public async Task SetListenPortAsync_PortOutsideRange_ThrowsBeforeSendingAnything(int port)
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SetListenPortAsync(port, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.RebindAsync(port, CancellationToken.None));

        Assert.Empty(bed.Fake.Requests);
    }

    [Fact]
    public async Task SetListenPortAsync_FirstCall_DoesTheHandshakeTurnsOffForwardingAndReadsBack()
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client();

        await client.SetListenPortAsync(45000, CancellationToken.None);

        Assert.Equal(45000, bed.Fake.PeerPort);
        Assert.False(bed.Fake.PortForwardingEnabled);
        Assert.False(bed.Fake.PeerPortRandomOnStart);
        Assert.Equal(1, bed.Fake.ConflictCount);
        Assert.Null(bed.Fake.Requests[0].SessionId);
        Assert.All(bed.Fake.Requests.Skip(1), r => Assert.Equal(bed.Fake.SessionId, r.SessionId));
        Assert.All(bed.Fake.Requests, r => Assert.StartsWith("Basic ", r.Authorization, StringComparison.Ordinal));
        var set = Assert.Single(bed.Fake.Requests, r => r.Method == "session-set");
        Assert.Equal("""{"method":"session-set","arguments":{"peer-port":45000,"port-forwarding-enabled":false,"peer-port-random-on-start":false}}""", set.Body);
        Assert.Equal("session-get", bed.Fake.Requests[^1].Method);
        Assert.Equal(1, bed.Logger.Count(2206));
    }

    [Fact]
    public async Task SetListenPortAsync_TransmissionKeepsAnotherPort_ThrowsReadBackMismatchNamingBothPorts()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.IgnorePeerPortWrites = true;
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(50000, CancellationToken.None));

        Assert.Contains("51413", e.Message, StringComparison.Ordinal);
        Assert.Contains("50000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebindAsync_SamePort_MovesAwayAndBackAndEndsOnThePort()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.PeerPort = 50000;
        var client = bed.Client();

        await client.RebindAsync(50000, CancellationToken.None);

        Assert.Equal([50001, 50000], bed.Fake.PeerPortHistory);
        Assert.Equal(50000, bed.Fake.PeerPort);
    }

    [Fact]
    public async Task RebindAsync_HighestPort_MovesDownInsteadOfOutOfRange()
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client();

        await client.RebindAsync(65535, CancellationToken.None);

        Assert.Equal([65534, 65535], bed.Fake.PeerPortHistory);
    }

    [Fact]
    public async Task GetSessionAsync_Defaults_ReportsPortForwardingAndRandomPort()
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client();

        var session = await client.GetSessionAsync(CancellationToken.None);

        Assert.Equal(new(51413, true, true), session);
    }

    [Fact]
    public async Task GetSessionAsync_ForwardingOffRandomOn_EachReadFromItsField()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.PortForwardingEnabled = false;
        bed.Fake.PeerPort = 40010;
        var client = bed.Client();

        Assert.Equal(new(40010, false, true), await client.GetSessionAsync(CancellationToken.None));
    }
}
