using System.Net;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

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

    [Theory]
    [InlineData(0)]
    [InlineData(5555)]
    public async Task SetListenPortAsync_ForwardedMode_SetsAnnouncePortToTheForwardedPortInTheSameCallAndLogsIt(int before)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.AnnouncePort = before;
        var client = bed.Client(announcePort: QBittorrentAnnouncePort.Forwarded);

        await client.SetListenPortAsync(45123, CancellationToken.None);

        Assert.Equal(45123, bed.Fake.AnnouncePort);
        var set = Assert.Single(bed.Fake.Requests, r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal));
        Assert.Equal("json=" + WebUtility.UrlEncode("{\"listen_port\":45123,\"upnp\":false,\"random_port\":false,\"announce_port\":45123}"), set.Body);
        var logged = Assert.Single(bed.Logger.Entries, e => e.EventId == 2113);
        Assert.Contains("45123", logged.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Logger.Count(2111));
    }

    [Fact]
    public async Task SetListenPortAsync_ForwardedModeBeforeQBittorrent51_SendsNoAnnouncePort()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.AnnouncePort = null;
        var client = bed.Client(announcePort: QBittorrentAnnouncePort.Forwarded);

        await client.SetListenPortAsync(45123, CancellationToken.None);

        var set = Assert.Single(bed.Fake.Requests, r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal));
        Assert.DoesNotContain("announce_port", WebUtility.UrlDecode(set.Body), StringComparison.Ordinal);
        Assert.Equal(0, bed.Logger.Count(2113));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 45123)]
    public async Task KeepAnnouncePortAsync_SetByHandWhileListenPortIsRight_PutRightWithOneAnnouncePortOnlyCall(bool forwarded, int expected)
    {
        var mode = forwarded ? QBittorrentAnnouncePort.Forwarded : QBittorrentAnnouncePort.Reset;
        using var bed = new QBittorrentTestBed();
        bed.Fake.ListenPort = 45123;
        bed.Fake.AnnouncePort = 5555;
        var client = bed.Client(announcePort: mode);
        Assert.Equal(45123, await client.GetListenPortAsync(CancellationToken.None));

        await client.KeepAnnouncePortAsync(45123, CancellationToken.None);

        Assert.Equal(expected, bed.Fake.AnnouncePort);
        Assert.Equal(45123, bed.Fake.ListenPort);
        var set = Assert.Single(bed.Fake.Requests, r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal));
        Assert.Equal("json=" + WebUtility.UrlEncode($"{{\"announce_port\":{expected}}}"), set.Body);
        Assert.Equal(1, bed.Logger.Count(mode == QBittorrentAnnouncePort.Reset ? 2111 : 2113));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 45123)]
    [InlineData(true, null)]
    public async Task KeepAnnouncePortAsync_AlreadyRightOrAbsent_SendsNothing(bool forwarded, int? announcePort)
    {
        var mode = forwarded ? QBittorrentAnnouncePort.Forwarded : QBittorrentAnnouncePort.Reset;
        using var bed = new QBittorrentTestBed();
        bed.Fake.ListenPort = 45123;
        bed.Fake.AnnouncePort = announcePort;
        var client = bed.Client(announcePort: mode);
        await client.GetListenPortAsync(CancellationToken.None);
        var before = bed.Fake.Requests.Count;

        await client.KeepAnnouncePortAsync(45123, CancellationToken.None);

        Assert.Equal(before, bed.Fake.Requests.Count);
    }

    [Fact]
    public async Task KeepAnnouncePortAsync_QBittorrentKeepsIt_ThrowsReadBackMismatch()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.ListenPort = 45123;
        bed.Fake.AnnouncePort = 5555;
        bed.Fake.IgnoreAnnouncePortWrites = true;
        var client = bed.Client();
        await client.GetListenPortAsync(CancellationToken.None);

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.KeepAnnouncePortAsync(45123, CancellationToken.None));

        Assert.Contains("5555", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAndRebind_RandomPortOnInTheClient_NeverSendRandomPortTrueWithAListenPort()
    {
        // qBittorrent's WebAPI lets random_port true win over listen_port in the same call (the fake does the same).
        using var bed = new QBittorrentTestBed();
        bed.Fake.RandomPort = true;
        bed.Fake.AnnouncePort = 0;
        var client = bed.Client(announcePort: QBittorrentAnnouncePort.Forwarded);

        await client.SetListenPortAsync(45123, CancellationToken.None);
        await client.RebindAsync(45123, CancellationToken.None);

        Assert.Equal(45123, bed.Fake.ListenPort);
        Assert.DoesNotContain(bed.Fake.RandomlyPickedPort, bed.Fake.ListenPortHistory);
        var sets = bed.Fake.Requests.Where(r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal)).Select(r => WebUtility.UrlDecode(r.Body)).ToList();
        Assert.Equal(3, sets.Count);
        Assert.All(sets, body => Assert.Contains("\"random_port\":false", body, StringComparison.Ordinal));
        Assert.All(sets, body => Assert.DoesNotContain("\"random_port\":true", body, StringComparison.Ordinal));
    }
}
