using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

/// <summary>
/// What the adapter makes of deluge-web's JSON-RPC answers at each step (login, host list, connection, RPC errors,
/// the envelope): the host it picks, the failure kind the sync loop sees, and what the message tells the operator.
/// </summary>
public sealed class DelugeClientAnswerTests
{
    private static HttpResponseMessage Result(string resultJson) => DelugeFake.Json($$"""{"result": {{resultJson}}, "error": null, "id": 1}""");

    private static HttpResponseMessage Error(string errorJson) => DelugeFake.Json($$"""{"result": null, "error": {{errorJson}}, "id": 1}""");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public async Task GetListenPortAsync_LoopbackHostListedAfterARemoteOne_ConnectsToLoopbackFirst(string loopback)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.get_hosts"
            ? Result($$"""[["remote-id", "10.9.8.7", 58846, "u"], ["local-id", "{{loopback}}", 58846, "u"]]""")
            : null;
        var client = bed.Client();

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));

        var connect = Assert.Single(bed.Fake.Requests, r => r.Method == "web.connect");
        Assert.Contains("\"local-id\"", connect.Body, StringComparison.Ordinal);
        Assert.Contains($"deluged at {loopback}:58846", bed.Logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_HostEntryWithoutUserName_StillUsed()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.get_hosts" ? Result($$"""[["{{DelugeFake.HostId}}", "127.0.0.1", 58846]]""") : null;
        var client = bed.Client();

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(1, bed.Fake.Count("web.connect"));
    }

    [Theory]
    [InlineData("""[["id", "127.0.0.1", "58846", "u"]]""")] // port as text
    [InlineData("""[[1, "127.0.0.1", 58846, "u"]]""")] // id not text
    [InlineData("""[["id", null, 58846, "u"]]""")] // host not text
    [InlineData("""[["id", "127.0.0.1"]]""")] // too short
    [InlineData("""["id"]""")]
    [InlineData("""{"id": ["127.0.0.1", 58846]}""")]
    [InlineData("null")]
    public async Task GetListenPortAsync_NoUsableHostEntry_InvalidResponseSayingWhereToAddOne(string hosts)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.get_hosts" ? Result(hosts) : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("knows no deluged host", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Fake.Count("web.connect"));
    }

    [Fact]
    public async Task GetListenPortAsync_DelugedDownWithFourHosts_TriesThreeAndNamesThoseThree()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.DaemonOnline = false;
        bed.Fake.Intercept = m => m == "web.get_hosts"
            ? Result("""[["a", "10.0.0.1", 1001, "u"], ["b", "10.0.0.2", 1002, "u"], ["c", "10.0.0.3", 1003, "u"], ["d", "127.0.0.1", 1004, "u"]]""")
            : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        // The loopback host is tried first; the message names exactly the hosts that were tried.
        Assert.Equal(3, bed.Fake.Count("web.connect"));
        Assert.Contains("\"d\"", bed.Fake.Requests.First(r => r.Method == "web.connect").Body, StringComparison.Ordinal);
        Assert.Contains("(127.0.0.1:1004, 10.0.0.1:1001, 10.0.0.2:1002)", e.Message, StringComparison.Ordinal);
        Assert.Contains("is deluged running?", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("\"yes\"", "\"yes\"")]
    [InlineData("{}", "a JSON object")]
    public async Task GetListenPortAsync_WebConnectedNotABoolean_InvalidResponseShowingTheAnswer(string answer, string shown)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.connected" ? Result(answer) : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains($"web.connected answered {shown} instead of true or false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_UnknownMethodFromDeluged_UnreachableSoTheLoopRetries()
    {
        // deluge-web answers "Unknown method" to core.* when it lost deluged between our check and the call.
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? Error("""{"message": "Unknown method", "code": 2}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("answered an error to core.get_listen_port: \"Unknown method\" (code 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_UnknownWebMethod_InvalidResponse()
    {
        // An unknown web.* method is not a lost daemon: deluge-web itself does not have it (another program at the URL).
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "web.connected" ? Error("""{"message": "Unknown method", "code": 2}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("web.connected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_ErrorWithoutCode_SaysCodeNone()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? Error("""{"message": "boom\r\nforged"}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("\"boom\\u000D\\u000Aforged\" (code none)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"error": null, "id": 1}""", "no result")]
    [InlineData("""{"result": {"port": 6881}, "error": null, "id": 1}""", "a JSON object")]
    [InlineData("""{"result": true, "error": null, "id": 1}""", "true")]
    public async Task GetListenPortAsync_ResultNotANumber_InvalidResponseDescribingIt(string body, string shown)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? DelugeFake.Json(body) : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains($"core.get_listen_port answered {shown} instead of a port number 0–65535", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_EnvelopeIsJsonNull_InvalidResponseNamingTheMethod()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? DelugeFake.Json("null") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("answered JSON null to core.get_listen_port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_EnvelopeNotJson_InvalidResponseAskingAboutTheUrl()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "auth.login" ? DelugeFake.Json("<html>\u001b[2J</html>") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("answer to auth.login is not the expected JSON-RPC object", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', e.Message);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("null", "null")]
    [InlineData("[true]", "a JSON array")]
    public async Task GetListenPortAsync_LoginAnswerNotABoolean_InvalidResponseShowingIt(string answer, string shown)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "auth.login" ? Result(answer) : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains($"auth.login answered {shown} instead of true or false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_LoginAnswersAnError_InvalidResponseAskingAboutTheUrl()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "auth.login" ? Error("""{"message": "JSONException: JSON not decodable", "code": 5}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("error to auth.login: \"JSONException: JSON not decodable\"", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Logger.Count(2302)); // not reported as a refused password
    }

    [Theory]
    [InlineData(null)] // no Set-Cookie at all
    [InlineData("_session_id=; Path=/json")] // the name with no value
    [InlineData("other=abc; Path=/json")] // another cookie
    [InlineData("x_session_id=abc")]
    [InlineData("_session_idx=abc")] // a longer name that starts with it
    public async Task GetListenPortAsync_LoginAcceptedWithoutASessionCookie_InvalidResponseNamingTheCookie(string? setCookie)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m =>
        {
            if (m != "auth.login")
            {
                return null;
            }

            var ok = Result("true");
            if (setCookie is not null)
            {
                ok.Headers.Add("Set-Cookie", setCookie);
            }

            return ok;
        };
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("accepted the password but set no _session_id cookie", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Logger.Count(2300));
    }

    [Fact]
    public async Task GetListenPortAsync_SessionCookieWithAttributes_SendsOnlyNameAndValue()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m =>
        {
            if (m != "auth.login")
            {
                return null;
            }

            var ok = Result("true");
            ok.Headers.Add("Set-Cookie", "_session_id=first; Path=/json");
            ok.Headers.Add("Set-Cookie", "_session_id=abc123 ; Expires=Wed, 25 Nov 2026 13:38:38 GMT; Path=/json");
            return ok;
        };
        var client = bed.Client();

        // The fake knows no session "abc123", so the call after login is refused; what matters is the cookie it carried.
        await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal("_session_id=abc123", bed.Fake.Requests[1].Cookie);
    }

    [Theory]
    [InlineData("""[45000]""", "something that is not a two-port range")]
    [InlineData("""[45000, 45000, 45000]""", "something that is not a two-port range")]
    [InlineData("""[45000, "45000"]""", "something that is not a two-port range")]
    [InlineData("""["45000", 45000]""", "something that is not a two-port range")]
    [InlineData("""{"0": 45000, "1": 45000}""", "something that is not a two-port range")]
    [InlineData("""[45000, 45001]""", "[45000, 45001]")]
    [InlineData("""[44999, 45000]""", "[44999, 45000]")]
    public async Task SetListenPortAsync_RangeReadBackNotThePort_ReadBackMismatchShowingIt(string range, string shown)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_config_value" ? Result(range) : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(45000, CancellationToken.None));

        Assert.Contains($"Deluge reports listen_ports {shown} after being asked for [45000, 45000]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetListenPortAsync_BoundToAnotherPort_ReadBackMismatchNamingIt()
    {
        using var bed = new DelugeTestBed();
        var calls = 0;
        bed.Fake.Intercept = m => m == "core.get_listen_port" && ++calls == 2 ? Result("6881") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.ReadBackMismatch, () => client.SetListenPortAsync(45000, CancellationToken.None));

        Assert.Contains("configured for port 45000 but listens on 6881", e.Message, StringComparison.Ordinal);
    }
}
