using System.Net;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

/// <summary>qBittorrent 5.1's announce_port: when non-zero, trackers hear it instead of the listening port.</summary>
public sealed class QBittorrentClientAnnouncePortTests
{
    [Fact]
    public async Task SetListenPortAsync_AnnouncePortSet_ResetsItInTheSameCallWithRandomPortOffAndLogsIt()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.AnnouncePort = 5555;
        var client = bed.Client();

        await client.SetListenPortAsync(45123, CancellationToken.None);

        Assert.Equal(0, bed.Fake.AnnouncePort);
        Assert.Equal(45123, bed.Fake.ListenPort);
        Assert.False(bed.Fake.RandomPort);
        var set = Assert.Single(bed.Fake.Requests, r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal));
        Assert.Equal("json=" + WebUtility.UrlEncode("{\"listen_port\":45123,\"upnp\":false,\"random_port\":false,\"announce_port\":0}"), set.Body);
        Assert.Equal(1, bed.Logger.Count(2111));
        Assert.Equal(1, bed.Logger.Count(2106));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(null)]
    public async Task SetListenPortAsync_AnnouncePortZeroOrAbsent_SendsNoAnnouncePortAndLogsNothingAboutIt(int? announcePort)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.AnnouncePort = announcePort;
        var client = bed.Client();

        await client.SetListenPortAsync(45123, CancellationToken.None);

        var set = Assert.Single(bed.Fake.Requests, r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal));
        Assert.DoesNotContain("announce_port", WebUtility.UrlDecode(set.Body), StringComparison.Ordinal);
        Assert.Equal(0, bed.Logger.Count(2111));
        Assert.Equal(announcePort, (await client.GetPreferencesAsync(CancellationToken.None)).AnnouncePort);
    }

    [Fact]
    public async Task SetListenPortAsync_AnnouncePortStaysSet_ThrowsReadBackMismatchNamingIt()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.AnnouncePort = 5555;
        bed.Fake.IgnoreAnnouncePortWrites = true;
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(45123, CancellationToken.None));

        Assert.Contains("5555", e.Message, StringComparison.Ordinal);
        Assert.Contains("trackers", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Logger.Count(2111));
    }
}
