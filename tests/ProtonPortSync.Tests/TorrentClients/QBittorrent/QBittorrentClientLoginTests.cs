using System.Net;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

public sealed class QBittorrentClientLoginTests
{
    [Fact]
    public async Task GetListenPortAsync_QBittorrent4OkLogin_LogsInOnceAndSendsSidCookie()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        bed.Fake.ListenPort = 51413;
        var client = bed.Client();

        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(1, bed.Fake.LoginAttempts);
        var login = bed.Fake.Requests[0];
        Assert.Equal("POST", login.Method);
        Assert.Equal("/api/v2/auth/login", login.Path);
        Assert.Equal("username=admin&password=adminadmin", login.Body);
        Assert.All(bed.Fake.Requests.Skip(1), r => Assert.StartsWith("SID=", r.Cookie, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetListenPortAsync_EmulatedQBittorrent52Login204WithQbtSidPortCookie_Succeeds()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V5_2);
        bed.Fake.ListenPort = 40000;
        var client = bed.Client();

        Assert.Equal(40000, await client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(1, bed.Fake.LoginAttempts);
        Assert.StartsWith("QBT_SID_8080=", bed.Fake.Requests[^1].Cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_EmulatedQBittorrent52Login401_ThrowsBadCredentials()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V5_2);
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong\n");
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.NotNull(e.RetryNotBefore);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_CustomSessionCookieName_UsesWhateverCookieWasSet()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        bed.Fake.CookieName = "MY_QBT_SESSION";
        var client = bed.Client();

        await client.GetListenPortAsync(CancellationToken.None);

        Assert.StartsWith("MY_QBT_SESSION=", bed.Fake.Requests[^1].Cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_EmulatedQBittorrent52ApiKey_SendsBearerOnEveryRequestWithoutLogin()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V5_2);
        bed.Fake.ApiKey = "qbt_0123456789abcdef";
        QBittorrentTestBed.WriteSecret(bed.ApiKeyFile, "qbt_0123456789abcdef\n");
        var client = bed.Client(apiKey: true);

        await client.SetListenPortAsync(45000, CancellationToken.None);

        Assert.Equal(0, bed.Fake.LoginAttempts);
        Assert.Equal(45000, bed.Fake.ListenPort);
        Assert.All(bed.Fake.Requests, r => Assert.Equal("Bearer qbt_0123456789abcdef", r.Authorization));
    }

    [Fact]
    public async Task GetListenPortAsync_EmulatedQBittorrent52WrongApiKey_ThrowsBadCredentialsThenBacksOff()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V5_2);
        bed.Fake.ApiKey = "qbt_right";
        QBittorrentTestBed.WriteSecret(bed.ApiKeyFile, "qbt_wrong");
        var client = bed.Client(apiKey: true);

        await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));
        await QBittorrentTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Single(bed.Fake.Requests);
        Assert.DoesNotContain("qbt_wrong", bed.Logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetListenPortAsync_AnyVersion_SendsNoRefererAndNoOrigin()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        var client = bed.Client(reannounce: true);

        await client.SetListenPortAsync(50000, CancellationToken.None);

        Assert.True(bed.Fake.Requests.Count >= 5);
        Assert.All(bed.Fake.Requests, r => Assert.Null(r.Referer));
        Assert.All(bed.Fake.Requests, r => Assert.Null(r.Origin));
    }

    [Fact]
    public async Task GetListenPortAsync_SessionExpired_LogsInAgainOnceAndRetries()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        var client = bed.Client();
        await client.GetListenPortAsync(CancellationToken.None);
        bed.Fake.ExpireSessions();
        bed.Fake.ListenPort = 41000;

        Assert.Equal(41000, await client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(2, bed.Fake.LoginAttempts);
        Assert.Equal(["auth/login", "app/preferences", "app/preferences", "auth/login", "app/preferences"], bed.Fake.Requests.Select(r => r.Path["/api/v2/".Length..]));
        Assert.Equal(1, bed.Logger.Count(2101));
    }

    [Fact]
    public async Task GetListenPortAsync_403EvenAfterFreshLogin_ThrowsInvalidResponseAfterOneRelogin()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        bed.Fake.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith("preferences", StringComparison.Ordinal)
            ? QBittorrentFake.Text(HttpStatusCode.Forbidden, "Forbidden")
            : null;
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(2, bed.Fake.LoginAttempts);
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_NoCredentialsAndBypassOn_SendsNoLogin()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        bed.Fake.BypassAuthentication = true;
        var client = bed.Client(password: false);

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(0, bed.Fake.LoginAttempts);
    }

    [Fact]
    public async Task GetListenPortAsync_NoCredentialsButLoginRequired_ThrowsBadCredentialsNamingTheFix()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        var client = bed.Client(password: false);

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("password file", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Fake.LoginAttempts);
    }

    [Fact]
    public async Task GetListenPortAsync_BaseUrlWithPathPrefix_CallsUnderThePrefix()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        var client = bed.Client(baseUrl: new Uri("http://proxy.local/qbittorrent"));

        await client.GetListenPortAsync(CancellationToken.None);

        Assert.All(bed.Fake.Requests, r => Assert.StartsWith("/qbittorrent/api/v2/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetListenPortAsync_LoginAnswersHtml_ThrowsInvalidResponse()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        bed.Fake.Intercept = r => QBittorrentFake.Text(HttpStatusCode.OK, "<html>proxy login</html>");
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("neither 'Ok.' nor 'Fails.'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_LoginAnswers503_ThrowsUnreachableAndTriesAgainNextCall()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V4);
        bed.Fake.Intercept = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        var client = bed.Client();

        await QBittorrentTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));
        bed.Fake.Intercept = null;

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, bed.Fake.LoginAttempts);
    }

    [Fact]
    public async Task GetListenPortAsync_PasswordWithFormSpecialCharacters_IsSentEncodedAndAccepted()
    {
        using var bed = new QBittorrentTestBed(QBittorrentFakeVersion.V5_2);
        bed.Fake.Password = "p&ss=w\u00f6rd +%";
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password + "\n");
        var client = bed.Client();

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(1, bed.Fake.LoginAttempts);
    }
}
