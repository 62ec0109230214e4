using System.Net;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

public sealed class QBittorrentClientPortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1023)]
    [InlineData(65536)]
    [InlineData(70000)]
    public async Task SetListenPortAsync_PortOutsideRange_ThrowsBeforeSendingAnything(int port)
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SetListenPortAsync(port, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.RebindAsync(port, CancellationToken.None));

        Assert.Empty(bed.Fake.Requests);
    }

    [Theory]
    [InlineData(QBittorrentFakeVersion.V4, 1024)]
    [InlineData(QBittorrentFakeVersion.V5_2, 65535)]
    public async Task SetListenPortAsync_ValidPort_TurnsOffUpnpAndRandomPortAndReadsBack(QBittorrentFakeVersion version, int port)
    {
        using var bed = new QBittorrentTestBed(version);
        var client = bed.Client();

        await client.SetListenPortAsync(port, CancellationToken.None);

        Assert.Equal(port, bed.Fake.ListenPort);
        Assert.False(bed.Fake.Upnp);
        Assert.False(bed.Fake.RandomPort);
        var set = Assert.Single(bed.Fake.Requests, r => r.Path.EndsWith("setPreferences", StringComparison.Ordinal));
        Assert.Equal("POST", set.Method);
        Assert.Equal("json=" + WebUtility.UrlEncode($"{{\"listen_port\":{port},\"upnp\":false,\"random_port\":false}}"), set.Body);
        Assert.EndsWith("app/preferences", bed.Fake.Requests[^1].Path, StringComparison.Ordinal);
        Assert.Equal(1, bed.Logger.Count(2106));
    }

    [Fact]
    public async Task SetListenPortAsync_ClientKeepsAnotherPort_ThrowsReadBackMismatchNamingBothPorts()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.IgnoreListenPortWrites = true;
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(50000, CancellationToken.None));

        Assert.Contains("6881", e.Message, StringComparison.Ordinal);
        Assert.Contains("50000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebindAsync_SamePort_MovesAwayAndBackAndEndsOnThePort()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.ListenPort = 50000;
        var client = bed.Client();

        await client.RebindAsync(50000, CancellationToken.None);

        Assert.Equal([50001, 50000], bed.Fake.ListenPortHistory);
        Assert.Equal(50000, bed.Fake.ListenPort);
    }

    [Fact]
    public async Task RebindAsync_HighestPort_MovesDownInsteadOfOutOfRange()
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client();

        await client.RebindAsync(65535, CancellationToken.None);

        Assert.Equal([65534, 65535], bed.Fake.ListenPortHistory);
    }

    [Fact]
    public async Task SetListenPortAsync_ReannounceOn_PostsReannounceAllOnce()
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client(reannounce: true);

        await client.SetListenPortAsync(50000, CancellationToken.None);

        Assert.Equal(1, bed.Fake.ReannounceCount);
        Assert.Equal("hashes=all", bed.Fake.Requests[^1].Body);
    }

    [Fact]
    public async Task SetListenPortAsync_ReannounceFails_StillSucceedsAndWarns()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith("reannounce", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : null;
        var client = bed.Client(reannounce: true);

        await client.SetListenPortAsync(50000, CancellationToken.None);

        Assert.Equal(50000, bed.Fake.ListenPort);
        Assert.Equal(1, bed.Logger.Count(2109));
    }

    [Fact]
    public async Task GetPreferencesAsync_FullPreferences_ReportsPortUpnpAndRandomPort()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.ListenPort = 12345;
        var client = bed.Client();

        var prefs = await client.GetPreferencesAsync(CancellationToken.None);

        Assert.Equal(new(12345, true, true), prefs);
    }

    [Theory]
    [InlineData("{\"listen_port\":", "not the expected JSON")]
    [InlineData("<html>login</html>", "not the expected JSON")]
    [InlineData("[1,2]", "not the expected JSON")]
    [InlineData("{\"listen_port\":\"6881\"}", "not the expected JSON")]
    [InlineData("null", "JSON null")]
    [InlineData("{\"upnp\":false}", "no listen_port")]
    [InlineData("{\"listen_port\":70000}", "outside 0–65535")]
    [InlineData("{\"listen_port\":-1}", "outside 0–65535")]
    public async Task GetListenPortAsync_MalformedPreferences_ThrowsInvalidResponseSayingWhat(string body, string expected)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith("preferences", StringComparison.Ordinal) ? QBittorrentFake.Json(body) : null;
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_ConnectionRefused_ThrowsUnreachable()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:8080)");
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task GetListenPortAsync_ServerError_ThrowsUnreachable(HttpStatusCode status)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith("preferences", StringComparison.Ordinal) ? new HttpResponseMessage(status) : null;
        var client = bed.Client();

        await QBittorrentTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_NoAnswerWithinTimeout_ThrowsUnreachable()
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client();
        bed.Fake.Intercept = _ => throw new TaskCanceledException("timed out", new TimeoutException());

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetListenPortAsync(cts.Token));
    }

    [Fact]
    public async Task GetListenPortAsync_NotFound_ThrowsInvalidResponseHintingAtTheUrl()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = _ => new HttpResponseMessage(HttpStatusCode.NotFound);
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("404", e.Message, StringComparison.Ordinal);
        Assert.Contains("URL", e.Message, StringComparison.Ordinal);
    }
}
