namespace ProtonPortSync.Tests.TorrentClients.Transmission;

public sealed class TransmissionClientReannounceTests
{
    [Fact]
    public async Task SetListenPortAsync_ReannounceOn_OneTorrentReannounceForAllAfterTheSet()
    {
        using var bed = new TransmissionTestBed();

        await bed.Client(reannounce: true).SetListenPortAsync(40000, default);

        var methods = bed.Fake.Requests.Select(r => r.Method).Where(m => m is "session-set" or "torrent-reannounce").ToList();
        Assert.Equal(["session-set", "torrent-reannounce"], methods);
        Assert.DoesNotContain("\"ids\"", bed.Fake.Requests.Last(r => r.Method == "torrent-reannounce").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetListenPortAsync_ReannounceOff_NoReannounce()
    {
        using var bed = new TransmissionTestBed();

        await bed.Client().SetListenPortAsync(40000, default);

        Assert.DoesNotContain(bed.Fake.Requests, r => r.Method == "torrent-reannounce");
    }

    [Fact]
    public async Task RebindAsync_ReannounceOn_ReannouncedOnceAfterTheRebind()
    {
        using var bed = new TransmissionTestBed();

        await bed.Client(reannounce: true).RebindAsync(40000, default);

        Assert.Single(bed.Fake.Requests, r => r.Method == "torrent-reannounce");
    }
}
