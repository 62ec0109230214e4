using System.Net;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.Tests.Fuzz;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Deluge;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.TorrentClients;

/// <summary>What every HTTP adapter does with a hostile peer: bounded answers, clean peer text, a word about cleartext.</summary>
public sealed class HttpTorrentClientHostileTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetListenPort_AnswerOverOneMebibyte_InvalidResponseSayingTooLarge()
    {
        var huge = "{\"listen_port\":40010,\"x\":\"" + new string('a', HttpTorrentClient.MaxAnswerBytes) + "\"}";
        using var client = new QBittorrentClient(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }, _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, huge)));

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(default));

        Assert.Equal(TorrentClientFailure.InvalidResponse, e.Failure);
        Assert.Contains("answer too large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPort_AnswerJustUnderTheLimit_Read()
    {
        var body = "{\"listen_port\":40010,\"x\":\"" + new string('a', HttpTorrentClient.MaxAnswerBytes - 100) + "\"}";
        using var client = new QBittorrentClient(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }, _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, body)));

        Assert.Equal(40010, await client.GetListenPortAsync(default));
    }

    [Fact]
    public async Task GetListenPort_AnswerWithoutLengthOverOneMebibyte_InvalidResponseSayingTooLarge()
    {
        var huge = "{\"listen_port\":40010,\"x\":\"" + new string('a', HttpTorrentClient.MaxAnswerBytes) + "\"}";
        using var client = new QBittorrentClient(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }, _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, huge)) { WithoutLength = true });

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(default));

        Assert.Equal(TorrentClientFailure.InvalidResponse, e.Failure);
        Assert.Contains("answer too large", e.Message, StringComparison.Ordinal);
        Assert.Contains("(more than that;", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16 * 1024)]
    [InlineData(100 * 1000)]
    public async Task GetListenPort_AnswerWithoutLength_ReadWholeOverSeveralChunks(int padding)
    {
        // The body arrives in 16 KiB reads into a buffer that grows: every byte must land once, in order.
        var body = "{\"x\":\"" + new string('a', padding) + "\",\"listen_port\":40010}";
        using var client = new QBittorrentClient(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }, _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, body)) { WithoutLength = true });

        Assert.Equal(40010, await client.GetListenPortAsync(default));
    }

    [Theory]
    [InlineData("""{"arguments":{"peer-port":40010},"result":"\ud800"}""")]
    [InlineData("""{"arguments":{"peer-port":40010,"config-dir":"\udfff"},"result":"success"}""")]
    public async Task GetListenPort_TransmissionTextNotValidUtf16_PortOrClientFailureNeverAnotherException(string body)
    {
        using var client = new TransmissionClient(new TransmissionOptions(), _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, body)));

        try
        {
            Assert.Equal(40010, await client.GetListenPortAsync(default));
        }
        catch (TorrentClientException e)
        {
            Assert.Equal(TorrentClientFailure.InvalidResponse, e.Failure);
        }
    }

    [Fact]
    public async Task GetListenPort_QBittorrentPreferencesTextNotValidUtf16_PortRead()
    {
        const string body = """{"listen_port":40010,"upnp":false,"random_port":false,"web_ui_username":"\ud800"}""";
        using var client = new QBittorrentClient(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }, _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, body)));

        Assert.Equal(40010, await client.GetListenPortAsync(default));
    }

    [Fact]
    public async Task GetListenPort_TransmissionErrorTextWithEscapes_LoggedEscapedAndCapped()
    {
        var text = "\u001b[2J\r\nFAKE: all good" + new string('z', 1000);
        using var client = new TransmissionClient(new TransmissionOptions(), _time, new CapturingLogger(), new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, $"{{\"result\":\"{text.Replace("\u001b", "\\u001b", StringComparison.Ordinal).Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}\"}}")));

        var e = await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(default));

        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("\\u001B[2J\\u000D\\u000AFAKE", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 500, e.Message);
    }

    [Theory]
    [InlineData("http://192.168.1.10:8112/json", true)]
    [InlineData("http://nas.example:8112/json", true)]
    [InlineData("http://127.0.0.1:8112/json", false)]
    [InlineData("http://localhost:8112/json", false)]
    [InlineData("http://[::1]:8112/json", false)]
    [InlineData("https://192.168.1.10:8112/json", false)]
    public void IsCleartextToRemoteHost_Url(string url, bool expected)
        => Assert.Equal(expected, HttpTorrentClient.IsCleartextToRemoteHost(new Uri(url)));

    [Fact]
    public async Task Login_PasswordOverHttpToLanHost_WarnsOnce()
    {
        var password = Path.Combine(_directory, "pw");
        QBittorrentTestBed.WriteSecret(password, "pw\n");
        var logger = new CapturingLogger();
        var handler = new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, "{\"result\":false,\"error\":null,\"id\":1}")) { SetCookie = "_session_id=abc" };
        using var client = new DelugeClient(new DelugeOptions { PasswordFile = password, Url = new Uri("http://192.168.1.10:8112/json") }, _time, logger, handler);

        await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(default));
        await Assert.ThrowsAsync<TorrentClientException>(() => client.GetListenPortAsync(default));

        Assert.Single(logger.Entries, e => e.Message.Contains("plain http://", StringComparison.Ordinal));
    }
}
