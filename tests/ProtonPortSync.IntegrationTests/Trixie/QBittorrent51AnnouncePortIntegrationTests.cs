using System.Text.Json;
using Microsoft.Extensions.Logging;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>qBittorrent 5.1.0's announce_port and its own view of reachability, on the real client from the trixie tree.</summary>
public sealed class QBittorrent51AnnouncePortIntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_QBittorrent51AnnouncePortSetByHand_ResetsItListensAndLogsIt()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        using var http = await LoggedInAsync(qbt);
        using (await PostAsync(http, "app/setPreferences", ("json", """{"announce_port":5555}""")))
        {
            // qBittorrent answers 200 with an empty body; the adapter's read below shows the value took.
        }

        var logger = new ListLogger();
        using var client = Client(qbt, logger, QBittorrentAnnouncePort.Reset);
        Assert.Equal(5555, (await client.GetPreferencesAsync(CancellationToken.None)).AnnouncePort);

        await client.SetListenPortAsync(45123, CancellationToken.None);

        Assert.Equal(new QBittorrentPreferencesSnapshot(45123, false, false, AnnouncePort: 0, CurrentNetworkInterface: "lo"), await client.GetPreferencesAsync(CancellationToken.None));
        Assert.True(await qbt.WaitUntilListeningAsync(45123), qbt.ListeningSockets());
        Assert.Contains(2111, logger.EventIds);
    }

    [Fact]
    public async Task SetListenPortAsync_QBittorrent51ForwardedMode_AnnouncesTheForwardedPortListensAndLogsIt()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        var logger = new ListLogger();
        using var client = Client(qbt, logger, QBittorrentAnnouncePort.Forwarded);
        Assert.Equal(0, (await client.GetPreferencesAsync(CancellationToken.None)).AnnouncePort);

        await client.SetListenPortAsync(45123, CancellationToken.None);

        var prefs = await client.GetPreferencesAsync(CancellationToken.None);
        Assert.Equal(45123, prefs.ListenPort);
        Assert.Equal(45123, prefs.AnnouncePort);
        Assert.True(await qbt.WaitUntilListeningAsync(45123), qbt.ListeningSockets());
        Assert.Contains(2113, logger.EventIds);
        Assert.DoesNotContain(2111, logger.EventIds);
    }

    [Fact]
    public async Task KeepAnnouncePortAsync_QBittorrent51AnnouncePortSetByHandWhileInSync_ResetWithoutTouchingTheListenPort()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 45123, tree: ChrootTree.Trixie);
        using var http = await LoggedInAsync(qbt);
        using (await PostAsync(http, "app/setPreferences", ("json", """{"announce_port":5555}""")))
        {
            // As a user would in Options → Advanced → "Port reported to trackers".
        }

        var logger = new ListLogger();
        using var client = Client(qbt, logger, QBittorrentAnnouncePort.Reset);
        Assert.Equal(45123, await client.GetListenPortAsync(CancellationToken.None));

        await client.KeepAnnouncePortAsync(45123, CancellationToken.None);

        var prefs = await client.GetPreferencesAsync(CancellationToken.None);
        Assert.Equal(0, prefs.AnnouncePort);
        Assert.Equal(45123, prefs.ListenPort);
        Assert.Contains(2111, logger.EventIds);
        Assert.DoesNotContain(2106, logger.EventIds);
    }

    /// <summary>Why the adapter sends random_port only as false: in one setPreferences, true wins over listen_port.</summary>
    [Fact]
    public async Task SetPreferences_QBittorrent51RandomPortTrueWithAListenPort_TheListenPortIsNotTaken()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        using var http = await LoggedInAsync(qbt);

        using (await PostAsync(http, "app/setPreferences", ("json", """{"listen_port":45123,"random_port":true}""")))
        {
        }

        using var prefs = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/v2/app/preferences", UriKind.Relative)));
        Assert.NotEqual(45123, prefs.RootElement.GetProperty("listen_port").GetInt32());
    }

    [Fact]
    public async Task TransferInfo_QBittorrent51_ReportsConnectionStatusAndLastExternalAddress()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        using var http = await LoggedInAsync(qbt);

        using var info = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/v2/transfer/info", UriKind.Relative)));

        Assert.Contains(info.RootElement.GetProperty("connection_status").GetString(), new[] { "connected", "firewalled", "disconnected" });
        Assert.Equal(JsonValueKind.String, info.RootElement.GetProperty("last_external_address_v4").ValueKind);
    }

    private static QBittorrentClient Client(QBittorrentInstance qbt, ListLogger logger, QBittorrentAnnouncePort mode) => new(
        new QBittorrentOptions { BaseUrl = qbt.BaseUrl, Username = qbt.Username, PasswordFile = qbt.WritePasswordFile(), RequestTimeout = TimeSpan.FromSeconds(5), AnnouncePort = mode },
        TimeProvider.System,
        logger,
        qbt.CreateHandler());

    /// <summary>An HttpClient in the peer's namespace with a session cookie, as a user's browser would have.</summary>
    private static async Task<HttpClient> LoggedInAsync(QBittorrentInstance qbt)
    {
        var http = new HttpClient(qbt.CreateHandler()) { BaseAddress = qbt.BaseUrl };
        using var login = await PostAsync(http, "auth/login", ("username", qbt.Username), ("password", qbt.Password));
        Assert.Equal("Ok.", await login.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Add("Cookie", login.Headers.GetValues("Set-Cookie").First().Split(';')[0]);
        return http;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string endpoint, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        var response = await http.PostAsync(new Uri("api/v2/" + endpoint, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return response;
    }

    private sealed class ListLogger : ILogger<QBittorrentClient>
    {
        private readonly List<int> _eventIds = [];

        public IReadOnlyList<int> EventIds
        {
            get
            {
                lock (_eventIds)
                {
                    return [.. _eventIds];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_eventIds)
            {
                _eventIds.Add(eventId.Id);
            }
        }
    }
}
