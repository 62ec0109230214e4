using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Deluge;

namespace ProtonPortSync.IntegrationTests.Deluge;

/// <summary>The adapter against a real deluged + deluge-web 2.0.3, each test with its own pair in its own namespace.</summary>
public sealed class DelugeClientIntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_RealDeluge_ReadsBackAndListensOnThePort()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        await SetReadsBackAndListensAsync(deluge);
    }

    [Fact]
    public async Task GetListenPortAsync_WrongPassword_OneLoginAcrossCallsAndTheRightPasswordStillWorks()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        await WrongPasswordOneLoginAsync(deluge);
    }

    [Fact]
    public async Task GetListenPortAsync_DelugeWebRestartedWithoutSessions_LogsInAgainReconnectsAndAnswers()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        using var client = Client(deluge, deluge.WritePasswordFile(), out var logins);
        await client.GetListenPortAsync(CancellationToken.None);

        await deluge.RestartWebAsync(forgetSessions: true);

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, logins.Count);
    }

    [Fact]
    public async Task GetListenPortAsync_DelugedRestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        await RestartedWithAnotherPortShowsDriftAsync(deluge);
    }

    [Fact]
    public async Task SetListenPortAsync_DelugedStopped_UnreachableThenSucceedsOnceStarted()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        using var client = Client(deluge, deluge.WritePasswordFile(), out _);
        await client.GetListenPortAsync(CancellationToken.None);

        deluge.StopDaemon();
        var down = await Assert.ThrowsAsync<TorrentClientException>(() => client.SetListenPortAsync(47000, CancellationToken.None));
        Assert.Equal(TorrentClientFailure.Unreachable, down.Failure);

        await deluge.StartDaemonAsync();
        await client.SetListenPortAsync(47000, CancellationToken.None);
        Assert.True(await deluge.WaitUntilListeningAsync(47000), deluge.ListeningSockets());
    }

    [Fact]
    public async Task SetListenPortAsync_DelugeWebStopped_UnreachableThenSucceedsOnceStarted()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        using var client = Client(deluge, deluge.WritePasswordFile(), out _);
        await client.GetListenPortAsync(CancellationToken.None);

        deluge.StopWeb();
        var down = await Assert.ThrowsAsync<TorrentClientException>(() => client.SetListenPortAsync(47100, CancellationToken.None));
        Assert.Equal(TorrentClientFailure.Unreachable, down.Failure);

        await deluge.StartWebAsync();
        await client.SetListenPortAsync(47100, CancellationToken.None);
        Assert.True(await deluge.WaitUntilListeningAsync(47100), deluge.ListeningSockets());
    }

    [Fact]
    public async Task SetListenPortAsync_ReannounceWithATorrent_RealDelugeListsItAndForceReannouncesIt()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881);
        var recorder = new RpcRecorder(deluge.CreateHandler());
        using var client = new DelugeClient(
            new DelugeOptions { Url = deluge.Url, PasswordFile = deluge.WritePasswordFile(), RequestTimeout = TimeSpan.FromSeconds(10), Reannounce = true },
            TimeProvider.System,
            NullLogger.Instance,
            recorder);
        await client.GetListenPortAsync(CancellationToken.None); // connects deluge-web to deluged
        var id = await AddTorrentAsync(deluge);

        await client.SetListenPortAsync(47000, CancellationToken.None);

        var state = Assert.Single(recorder.Exchanges, e => e.Request.Contains("\"core.get_session_state\"", StringComparison.Ordinal));
        Assert.Contains(id, state.Answer, StringComparison.Ordinal);
        var reannounce = Assert.Single(recorder.Exchanges, e => e.Request.Contains("\"core.force_reannounce\"", StringComparison.Ordinal));
        Assert.Contains(id, reannounce.Request, StringComparison.Ordinal);
        Assert.Matches("\"error\":\\s*null", reannounce.Answer);
        Assert.True(await deluge.WaitUntilListeningAsync(47000), deluge.ListeningSockets());
    }

    /// <summary>Adds <see cref="TestTorrent"/> (paused) through deluge-web's JSON-RPC in a session of its own; returns its id.</summary>
    private static async Task<string> AddTorrentAsync(DelugeInstance deluge)
    {
        using var http = new HttpClient(deluge.CreateHandler());
        // deluge-web takes "application/json" only, without a charset.
        static ByteArrayContent Json(string text) => new(System.Text.Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new("application/json") } };
        using var login = await http.PostAsync(deluge.Url, Json($"{{\"method\":\"auth.login\",\"params\":[\"{deluge.Password}\"],\"id\":1}}"));
        Assert.True(login.Headers.TryGetValues("Set-Cookie", out var cookies), $"{(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        var cookie = cookies.Single().Split(';')[0];
        using var add = new HttpRequestMessage(HttpMethod.Post, deluge.Url)
        {
            Content = Json($"{{\"method\":\"core.add_torrent_file\",\"params\":[\"pps-test.torrent\",\"{Convert.ToBase64String(TestTorrent.Create())}\",{{\"add_paused\":true}}],\"id\":2}}"),
        };
        add.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(add);
        var answer = await response.Content.ReadAsStringAsync();
        var id = System.Text.Json.JsonDocument.Parse(answer).RootElement.GetProperty("result");
        Assert.True(id.ValueKind == System.Text.Json.JsonValueKind.String, answer);
        return id.GetString()!;
    }

    [Fact]
    public async Task RebindAsync_RealDeluge_EndsListeningOnTheSamePort()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 48000);
        using var client = Client(deluge, deluge.WritePasswordFile(), out _);
        Assert.True(await deluge.WaitUntilListeningAsync(48000), deluge.ListeningSockets());

        await client.RebindAsync(48000, CancellationToken.None);

        Assert.Equal(48000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await deluge.WaitUntilListeningAsync(48000), deluge.ListeningSockets());
        Assert.True(await deluge.WaitUntilListeningAsync(48001, listening: false), deluge.ListeningSockets());
    }

    /// <summary>Set, read back, listening, one login; started on 6881. Shared with the 2.2 tests.</summary>
    internal static async Task SetReadsBackAndListensAsync(DelugeInstance deluge)
    {
        using var client = Client(deluge, deluge.WritePasswordFile(), out var logins);

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        await client.SetListenPortAsync(45123, CancellationToken.None);

        Assert.Equal(45123, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await deluge.WaitUntilListeningAsync(45123), deluge.ListeningSockets());
        Assert.True(await deluge.WaitUntilListeningAsync(6881, listening: false), deluge.ListeningSockets());
        Assert.Equal(1, logins.Count);
    }

    /// <summary>A wrong password: one login across calls, the right one still works; started on 6881. Shared with the 2.2 tests.</summary>
    internal static async Task WrongPasswordOneLoginAsync(DelugeInstance deluge)
    {
        using (var wrong = Client(deluge, deluge.WritePasswordFile("not-the-password\n"), out var logins))
        {
            var first = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.GetListenPortAsync(CancellationToken.None));
            Assert.Equal(TorrentClientFailure.BadCredentials, first.Failure);
            for (var i = 0; i < 5; i++)
            {
                var again = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.SetListenPortAsync(40000 + i, CancellationToken.None));
                Assert.Equal(TorrentClientFailure.BackingOff, again.Failure);
            }

            Assert.Equal(1, logins.Count);
        }

        using var right = Client(deluge, deluge.WritePasswordFile(), out _);
        Assert.Equal(6881, await right.GetListenPortAsync(CancellationToken.None));
    }

    /// <summary>deluged restarted with another configured port: the drift shows and a set repairs it. Shared with the 2.2 tests.</summary>
    internal static async Task RestartedWithAnotherPortShowsDriftAsync(DelugeInstance deluge)
    {
        using var client = Client(deluge, deluge.WritePasswordFile(), out _);
        await client.SetListenPortAsync(45000, CancellationToken.None);

        await deluge.RestartDaemonAsync(listenPort: 46000);

        Assert.Equal(46000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await deluge.WaitUntilListeningAsync(46000), deluge.ListeningSockets());
        await client.SetListenPortAsync(45000, CancellationToken.None);
        Assert.True(await deluge.WaitUntilListeningAsync(45000), deluge.ListeningSockets());
    }

    internal static DelugeClient Client(DelugeInstance deluge, string passwordFile, out LoginCounter logins)
    {
        logins = new LoginCounter(deluge.CreateHandler());
        return new DelugeClient(
            new DelugeOptions { Url = deluge.Url, PasswordFile = passwordFile, RequestTimeout = TimeSpan.FromSeconds(10) },
            TimeProvider.System,
            NullLogger.Instance,
            logins);
    }

    /// <summary>Counts <c>auth.login</c> requests that reach deluge-web.</summary>
    internal sealed class LoginCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            if (body.Contains("\"method\":\"auth.login\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
