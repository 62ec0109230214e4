using System.Net;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

public sealed class DelugeClientTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1023)]
    [InlineData(65536)]
    [InlineData(70000)]
    public async Task SetListenPortAsync_PortOutsideRange_ThrowsBeforeSendingAnything(int port)
    {
        using var bed = new DelugeTestBed();
        var client = bed.Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SetListenPortAsync(port, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.RebindAsync(port, CancellationToken.None));

        Assert.Empty(bed.Fake.Requests);
    }

    [Fact]
    public async Task SetListenPortAsync_FreshClient_LogsInConnectsSetsAndReadsBackSettingAndBoundPort()
    {
        using var bed = new DelugeTestBed();
        var client = bed.Client();

        await client.SetListenPortAsync(45000, CancellationToken.None);

        Assert.Equal(
            ["auth.login", "web.connected", "web.get_hosts", "web.connect", "web.connected", "core.get_listen_port", "core.set_config", "core.get_config_value", "core.get_listen_port"],
            bed.Fake.Requests.Select(r => r.Method));
        var set = Assert.Single(bed.Fake.Requests, r => r.Method == "core.set_config");
        Assert.Contains("""{"listen_ports":[45000,45000],"random_port":false,"upnp":false,"natpmp":false}""", set.Body, StringComparison.Ordinal);
        Assert.Equal([45000, 45000], bed.Fake.ListenPorts);
        Assert.False(bed.Fake.RandomPort || bed.Fake.Upnp || bed.Fake.NatPmp);
        Assert.All(bed.Fake.Requests.Skip(1), r => Assert.StartsWith("_session_id=", r.Cookie, StringComparison.Ordinal));
        Assert.Equal(1, bed.Logger.Count(2305));
        Assert.Equal(1, bed.Logger.Count(2306));
    }

    [Fact]
    public async Task GetListenPortAsync_SessionExpired_LogsInAgainOnceAndAnswers()
    {
        using var bed = new DelugeTestBed();
        var client = bed.Client();
        await client.GetListenPortAsync(CancellationToken.None);

        bed.Fake.ExpireSessions();

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, bed.Fake.Count("auth.login"));
        Assert.Equal(1, bed.Logger.Count(2301));
    }

    [Fact]
    public async Task GetListenPortAsync_NotAuthenticatedEvenAfterLogin_InvalidResponseNamingTheCookie()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "auth.login" ? null : DelugeFake.Json("""{"result": null, "error": {"message": "Not authenticated", "code": 1}, "id": 1}""");
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("_session_id", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, bed.Fake.Count("auth.login"));
    }

    [Fact]
    public async Task GetListenPortAsync_WrongPasswordCalledRepeatedly_SendsItOnceThenBacksOff()
    {
        using var bed = new DelugeTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "hunter2-wrong\n");
        var client = bed.Client();

        var first = await DelugeTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));
        for (var i = 0; i < 5; i++)
        {
            bed.Time.Advance(TimeSpan.FromMinutes(1));
            await DelugeTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.SetListenPortAsync(50000, CancellationToken.None));
        }

        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password);
        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(2, bed.Fake.Count("auth.login"));
        Assert.NotNull(first.RetryNotBefore);
        Assert.Equal(1, bed.Logger.Count(2302));
        Assert.Equal(1, bed.Logger.Count(2303));
        Assert.DoesNotContain("hunter2", bed.Logger.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetListenPortAsync_DelugedDownThenUp_UnreachableThenConnectsAndSets()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.DaemonOnline = false;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.SetListenPortAsync(45000, CancellationToken.None));
        Assert.Contains("deluged", e.Message, StringComparison.Ordinal);

        bed.Fake.DaemonOnline = true;
        await client.SetListenPortAsync(45000, CancellationToken.None);

        Assert.Equal(45000, bed.Fake.BoundPort);
        Assert.Equal(1, bed.Fake.Count("auth.login"));
    }

    [Fact]
    public async Task GetListenPortAsync_DelugeWebLostDeluged_ConnectsAgain()
    {
        using var bed = new DelugeTestBed();
        var client = bed.Client();
        await client.GetListenPortAsync(CancellationToken.None);

        bed.Fake.Connected = false;

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, bed.Fake.Count("web.connect"));
    }

    [Fact]
    public async Task SetListenPortAsync_PortNotBound_ReadBackMismatchSayingItListensOnNothing()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.BindFails = true;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(45000, CancellationToken.None));

        Assert.Contains("listens on nothing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetListenPortAsync_SettingNotKept_ReadBackMismatchNamingTheRange()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_config_value" ? DelugeFake.Json("""{"result": [6881, 6891], "error": null, "id": 9}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(45000, CancellationToken.None));

        Assert.Contains("[6881, 6891]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebindAsync_SamePort_MovesAwayAndBack()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.ListenPorts = [50000, 50000];
        var client = bed.Client();

        await client.RebindAsync(50000, CancellationToken.None);

        Assert.Equal([50001, 50000], bed.Fake.ListenPortHistory);
        Assert.Equal(50000, bed.Fake.BoundPort);
    }

    [Theory]
    [InlineData("<html>nope</html>")]
    [InlineData("null")]
    [InlineData("""{"result": "6881", "error": null, "id": 1}""")]
    [InlineData("""{"result": 70000, "error": null, "id": 1}""")]
    [InlineData("""{"result": null, "error": {"message": "AttributeError: boom", "code": 3}, "id": 1}""")]
    public async Task GetListenPortAsync_UnexpectedAnswer_InvalidResponse(string body)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? DelugeFake.Json(body) : null;
        var client = bed.Client();

        await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_NoHostsKnown_InvalidResponseSayingWhatToAdd()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.get_hosts" ? DelugeFake.Json("""{"result": [], "error": null, "id": 1}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("connection manager", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_HostIdNotValidText_SkippedLikeNoHost()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.get_hosts" ? DelugeFake.Json("""{"result": [["\ud800", "127.0.0.1", 58846, "Offline"]], "error": null, "id": 1}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("connection manager", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Fake.Count("web.connect"));
    }

    [Fact]
    public async Task GetListenPortAsync_ConnectionRefused_Unreachable()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = _ => throw new HttpRequestException("Connection refused (127.0.0.1:8112)");
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("http://127.0.0.1:8112/json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_ServerError_Unreachable()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        var client = bed.Client();

        await DelugeTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));
    }
}
