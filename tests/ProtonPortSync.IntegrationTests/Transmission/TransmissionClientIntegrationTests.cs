using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.IntegrationTests.Transmission;

/// <summary>The adapter against a real transmission-daemon 3.00, each test with its own instance in its own namespace.</summary>
public sealed class TransmissionClientIntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_RealTransmission_ReadsBackAndListensOnThePort()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        await SetReadsBackAndListensAsync(tr);
    }

    [Fact]
    public async Task GetListenPortAsync_WrongPassword_OneRequestAcrossCallsAndTheRightPasswordStillWorks()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        await WrongPasswordOneRequestAsync(tr);
    }

    [Fact]
    public async Task GetListenPortAsync_RestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        await RestartedWithAnotherPortShowsDriftAsync(tr);
    }

    [Fact]
    public async Task SetListenPortAsync_TransmissionStopped_UnreachableThenSucceedsOnceStarted()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        using var client = Client(tr, tr.WritePasswordFile(), out _);
        await client.GetListenPortAsync(CancellationToken.None);

        tr.Stop();
        var down = await Assert.ThrowsAsync<TorrentClientException>(() => client.SetListenPortAsync(47000, CancellationToken.None));
        Assert.Equal(TorrentClientFailure.Unreachable, down.Failure);

        await tr.StartAsync();
        await client.SetListenPortAsync(47000, CancellationToken.None);
        Assert.True(await tr.WaitUntilListeningAsync(47000), tr.ListeningSockets());
    }

    [Fact]
    public async Task SetListenPortAsync_ReannounceWithATorrent_RealTransmissionAnswersSuccessToTorrentReannounce()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        await AddTorrentAsync(tr);
        var recorder = new RpcRecorder(tr.CreateHandler());
        using var client = new TransmissionClient(
            new TransmissionOptions { RpcUrl = tr.RpcUrl, Username = TransmissionInstance.Username, PasswordFile = tr.WritePasswordFile(), RequestTimeout = TimeSpan.FromSeconds(5), Reannounce = true },
            TimeProvider.System,
            NullLogger.Instance,
            recorder);

        await client.SetListenPortAsync(47000, CancellationToken.None);

        var reannounce = Assert.Single(recorder.Exchanges, e => e.Request.Contains("\"torrent-reannounce\"", StringComparison.Ordinal) && e.Status == 200);
        Assert.Contains("\"result\":\"success\"", reannounce.Answer, StringComparison.Ordinal);
        Assert.True(await tr.WaitUntilListeningAsync(47000), tr.ListeningSockets());
    }

    /// <summary>Adds <see cref="TestTorrent"/> (paused) over Transmission's RPC, with its session-id handshake.</summary>
    private static async Task AddTorrentAsync(TransmissionInstance tr)
    {
        using var http = new HttpClient(tr.CreateHandler());
        var body = $"{{\"method\":\"torrent-add\",\"arguments\":{{\"metainfo\":\"{Convert.ToBase64String(TestTorrent.Create())}\",\"paused\":true}}}}";
        string? session = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, tr.RpcUrl) { Content = new StringContent(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TransmissionInstance.Username}:{tr.Password}")));
            if (session is not null)
            {
                request.Headers.Add("X-Transmission-Session-Id", session);
            }

            using var response = await http.SendAsync(request);
            if (response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                session = response.Headers.GetValues("X-Transmission-Session-Id").Single();
                continue;
            }

            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(answer.Contains("torrent-added", StringComparison.Ordinal), answer);
            return;
        }

        Assert.Fail("Transmission asked for a session id twice");
    }

    [Fact]
    public async Task RebindAsync_RealTransmission_EndsListeningOnTheSamePort()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 48000);
        using var client = Client(tr, tr.WritePasswordFile(), out _);
        Assert.True(await tr.WaitUntilListeningAsync(48000), tr.ListeningSockets());

        await client.RebindAsync(48000, CancellationToken.None);

        Assert.Equal(48000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await tr.WaitUntilListeningAsync(48000), tr.ListeningSockets());
        Assert.True(await tr.WaitUntilListeningAsync(48001, listening: false), tr.ListeningSockets());
    }

    /// <summary>Set, read back, listening; the daemon started on 51413. Shared with the 4.1 tests.</summary>
    internal static async Task SetReadsBackAndListensAsync(TransmissionInstance tr)
    {
        using var client = Client(tr, tr.WritePasswordFile(), out _);

        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));
        await client.SetListenPortAsync(45123, CancellationToken.None);

        Assert.Equal(new TransmissionSessionSnapshot(45123, false, false), await client.GetSessionAsync(CancellationToken.None));
        Assert.True(await tr.WaitUntilListeningAsync(45123), tr.ListeningSockets());
        Assert.True(await tr.WaitUntilListeningAsync(51413, listening: false), tr.ListeningSockets());
    }

    /// <summary>A wrong password: one request across calls, the right one still works; started on 51413. Shared with the 4.1 tests.</summary>
    internal static async Task WrongPasswordOneRequestAsync(TransmissionInstance tr)
    {
        using (var wrong = Client(tr, tr.WritePasswordFile("not-the-password\n"), out var requests))
        {
            var first = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.GetListenPortAsync(CancellationToken.None));
            Assert.Equal(TorrentClientFailure.BadCredentials, first.Failure);
            for (var i = 0; i < 5; i++)
            {
                var again = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.SetListenPortAsync(40000 + i, CancellationToken.None));
                Assert.Equal(TorrentClientFailure.BackingOff, again.Failure);
            }

            Assert.Equal(1, requests.Count);
        }

        using var right = Client(tr, tr.WritePasswordFile(), out _);
        Assert.Equal(51413, await right.GetListenPortAsync(CancellationToken.None));
    }

    /// <summary>Restarted with another configured port: the drift shows and a set repairs it. Shared with the 4.1 tests.</summary>
    internal static async Task RestartedWithAnotherPortShowsDriftAsync(TransmissionInstance tr)
    {
        using var client = Client(tr, tr.WritePasswordFile(), out _);
        await client.SetListenPortAsync(45000, CancellationToken.None);

        await tr.RestartAsync(peerPort: 46000); // a new session id too: the adapter must redo the handshake

        Assert.Equal(46000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await tr.WaitUntilListeningAsync(46000), tr.ListeningSockets());
        await client.SetListenPortAsync(45000, CancellationToken.None);
        Assert.True(await tr.WaitUntilListeningAsync(45000), tr.ListeningSockets());
    }

    internal static TransmissionClient Client(TransmissionInstance tr, string passwordFile, out RequestCounter requests)
    {
        requests = new RequestCounter(tr.CreateHandler());
        return new TransmissionClient(
            new TransmissionOptions { RpcUrl = tr.RpcUrl, Username = TransmissionInstance.Username, PasswordFile = passwordFile, RequestTimeout = TimeSpan.FromSeconds(5) },
            TimeProvider.System,
            NullLogger.Instance,
            requests);
    }

    /// <summary>Counts requests that reach Transmission (its lockout counter's view of us).</summary>
    internal sealed class RequestCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
