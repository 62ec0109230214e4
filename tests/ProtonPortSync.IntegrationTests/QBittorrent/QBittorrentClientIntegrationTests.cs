using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.IntegrationTests.QBittorrent;

/// <summary>The adapter against a real qbittorrent-nox 4.5.2, each test with its own instance in its own namespace.</summary>
public sealed class QBittorrentClientIntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_RealQBittorrent_ReadsBackAndListensOnThePort()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881);
        await SetReadsBackAndListensAsync(qbt, announcePort: null);
    }

    [Fact]
    public async Task GetListenPortAsync_WrongPassword_OneLoginAttemptAcrossCallsAndNoBan()
    {
        using var qbt = await QBittorrentInstance.StartAsync();
        await WrongPasswordOneLoginAndNoBanAsync(qbt);
    }

    [Fact]
    public async Task GetListenPortAsync_QBittorrentRestartedSoSessionIsInvalid_LogsInAgainAndAnswers()
    {
        using var qbt = await QBittorrentInstance.StartAsync();
        using var client = Client(qbt, qbt.WritePasswordFile(), out var logins);
        await client.GetListenPortAsync(CancellationToken.None);

        await qbt.RestartAsync();

        Assert.Equal(QBittorrentInstance.DefaultListenPort, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, logins.Count);
    }

    [Fact]
    public async Task GetListenPortAsync_RestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var qbt = await QBittorrentInstance.StartAsync();
        await RestartedWithAnotherPortShowsDriftAsync(qbt);
    }

    [Fact]
    public async Task SetListenPortAsync_QBittorrentStopped_UnreachableThenSucceedsOnceStarted()
    {
        using var qbt = await QBittorrentInstance.StartAsync();
        using var client = Client(qbt, qbt.WritePasswordFile(), out _);
        await client.GetListenPortAsync(CancellationToken.None);

        qbt.Stop();
        var down = await Assert.ThrowsAsync<TorrentClientException>(() => client.SetListenPortAsync(47000, CancellationToken.None));
        Assert.Equal(TorrentClientFailure.Unreachable, down.Failure);

        await qbt.StartAsync();
        await client.SetListenPortAsync(47000, CancellationToken.None);
        Assert.True(await qbt.WaitUntilListeningAsync(47000), qbt.ListeningSockets());
    }

    [Fact]
    public async Task RebindAsync_RealQBittorrent_EndsListeningOnTheSamePort()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 48000);
        using var client = Client(qbt, qbt.WritePasswordFile(), out _);
        Assert.True(await qbt.WaitUntilListeningAsync(48000), qbt.ListeningSockets());

        await client.RebindAsync(48000, CancellationToken.None);

        Assert.Equal(48000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await qbt.WaitUntilListeningAsync(48000), qbt.ListeningSockets());
        Assert.True(await qbt.WaitUntilListeningAsync(48001, listening: false), qbt.ListeningSockets());
    }

    /// <summary>Set, read back, listening, one login; the instance started on 6881. Shared with the 5.1 tests.</summary>
    internal static async Task SetReadsBackAndListensAsync(QBittorrentInstance qbt, int? announcePort)
    {
        using var client = Client(qbt, qbt.WritePasswordFile(), out var logins);

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        await client.SetListenPortAsync(45123, CancellationToken.None);

        Assert.Equal(45123, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await qbt.WaitUntilListeningAsync(45123), qbt.ListeningSockets());
        Assert.True(await qbt.WaitUntilListeningAsync(6881, listening: false), qbt.ListeningSockets());
        var prefs = await client.GetPreferencesAsync(CancellationToken.None);
        Assert.Equal(new QBittorrentPreferencesSnapshot(45123, false, false, announcePort), prefs);
        Assert.Equal(1, logins.Count);
    }

    /// <summary>A wrong password: one login across calls, no ban, the right one still works. Shared with the 5.1 tests.</summary>
    internal static async Task WrongPasswordOneLoginAndNoBanAsync(QBittorrentInstance qbt)
    {
        using (var wrong = Client(qbt, qbt.WritePasswordFile("not-the-password\n"), out var logins))
        {
            var first = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.GetListenPortAsync(CancellationToken.None));
            Assert.Equal(TorrentClientFailure.BadCredentials, first.Failure);
            for (var i = 0; i < 6; i++)
            {
                var again = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.SetListenPortAsync(40000 + i, CancellationToken.None));
                Assert.Equal(TorrentClientFailure.BackingOff, again.Failure);
            }

            Assert.Equal(1, logins.Count);
        }

        // Six more tries would have been a ban (5 failures); the right password still works from a fresh client.
        using var right = Client(qbt, qbt.WritePasswordFile(), out _);
        Assert.Equal(QBittorrentInstance.DefaultListenPort, await right.GetListenPortAsync(CancellationToken.None));
    }

    /// <summary>Restarted with another configured port: the drift shows and a set repairs it. Shared with the 5.1 tests.</summary>
    internal static async Task RestartedWithAnotherPortShowsDriftAsync(QBittorrentInstance qbt)
    {
        using var client = Client(qbt, qbt.WritePasswordFile(), out _);
        await client.SetListenPortAsync(45000, CancellationToken.None);

        await qbt.RestartAsync(listenPort: 46000);

        Assert.Equal(46000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await qbt.WaitUntilListeningAsync(46000), qbt.ListeningSockets());
        await client.SetListenPortAsync(45000, CancellationToken.None);
        Assert.True(await qbt.WaitUntilListeningAsync(45000), qbt.ListeningSockets());
    }

    internal static QBittorrentClient Client(QBittorrentInstance qbt, string passwordFile, out LoginCounter logins)
    {
        logins = new LoginCounter(qbt.CreateHandler());
        return new QBittorrentClient(
            new QBittorrentOptions { BaseUrl = qbt.BaseUrl, Username = qbt.Username, PasswordFile = passwordFile, RequestTimeout = TimeSpan.FromSeconds(5) },
            TimeProvider.System,
            NullLogger<QBittorrentClient>.Instance,
            logins);
    }

    /// <summary>Counts login requests that reach qBittorrent (the ban counter's view of us).</summary>
    internal sealed class LoginCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/auth/login", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
