using System.Net;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

public sealed class TransmissionClientSessionTests
{
    [Fact]
    public async Task GetListenPortAsync_SessionIdRotated_SendsOnceMoreWithTheNewId()
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client();
        await client.GetListenPortAsync(CancellationToken.None);

        bed.Fake.RotateSessionId();

        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, bed.Fake.ConflictCount);
        Assert.Equal(4, bed.Fake.Requests.Count);
        Assert.Equal(bed.Fake.SessionId, bed.Fake.Requests[^1].SessionId);
        Assert.Equal(1, bed.Logger.Count(2200));
        Assert.Equal(1, bed.Logger.Count(2201));
    }

    [Fact]
    public async Task GetListenPortAsync_409EveryTime_InvalidResponseAfterOneRetry()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = _ =>
        {
            var r = new HttpResponseMessage(HttpStatusCode.Conflict);
            r.Headers.Add("X-Transmission-Session-Id", Guid.NewGuid().ToString());
            return r;
        };
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(2, bed.Fake.Requests.Count);
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_409WithoutSessionIdHeader_InvalidResponse()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = _ => new HttpResponseMessage(HttpStatusCode.Conflict);
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("X-Transmission-Session-Id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_WrongPasswordCalledRepeatedly_SendsItOnceThenBacksOff()
    {
        using var bed = new TransmissionTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "hunter2-wrong\n");
        var client = bed.Client();

        var first = await TransmissionTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));
        for (var i = 0; i < 10; i++)
        {
            bed.Time.Advance(TimeSpan.FromMinutes(1));
            var again = await TransmissionTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.SetListenPortAsync(50000, CancellationToken.None));
            Assert.Equal(first.RetryNotBefore, again.RetryNotBefore);
        }

        Assert.Single(bed.Fake.Requests);
        Assert.Equal(bed.Time.GetUtcNow() - TimeSpan.FromMinutes(10) + LoginGate.FirstRefusalBackoff, first.RetryNotBefore);
        Assert.Equal(1, bed.Logger.Count(2202));
        Assert.DoesNotContain("hunter2", bed.Logger.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_PasswordFileFixedDuringBackoff_TriesAtOnce()
    {
        using var bed = new TransmissionTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong");
        var client = bed.Client();
        await TransmissionTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password + "\n");

        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(1, bed.Logger.Count(2204));
    }

    [Fact]
    public async Task GetListenPortAsync_RpcLockedAfterTooManyFailures_BannedAndNotRetriedForAnHour()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = _ => TransmissionFake.Html(HttpStatusCode.Forbidden, "<h1>403: Forbidden</h1><p>Too many unsuccessful login attempts. Please restart transmission-daemon.</p>");
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.Banned, () => client.GetListenPortAsync(CancellationToken.None));
        bed.Time.Advance(TimeSpan.FromMinutes(59));
        await TransmissionTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Single(bed.Fake.Requests);
        Assert.Contains("restart transmission-daemon", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, bed.Logger.Count(2203));
    }

    [Fact]
    public async Task GetListenPortAsync_NotInWhitelist403_InvalidResponseNamingTheWhitelist()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = _ => TransmissionFake.Html(HttpStatusCode.Forbidden, "<h1>403: Forbidden</h1><p>Unauthorized IP Address.</p>");
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("rpc-whitelist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_AuthRequiredButNoPasswordFile_BadCredentialsNamingTheFlags()
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client(password: false);

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("--transmission-password-file", e.Message, StringComparison.Ordinal);
        Assert.Null(bed.Fake.Requests[0].Authorization);
    }

    [Fact]
    public async Task GetListenPortAsync_NoAuthConfiguredOnEitherSide_Answers()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Password = null;
        var client = bed.Client(password: false);

        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));
    }
}
