using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.Tests.TorrentClients.Deluge;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.Tests.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.TorrentClients;

/// <summary>
/// The port each adapter reads from its client's answer, at the edges of 0–65535: 0 (qBittorrent's "pick one", or
/// nothing bound) and 65535 are ports a client can report; -1 and 65536 are not and must not reach the sync loop.
/// </summary>
public sealed class PortAnswerEdgeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(65535)]
    public async Task QBittorrentGetListenPortAsync_PortAtRangeEdge_ReadAsIs(int port)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith("preferences", StringComparison.Ordinal) ? QBittorrentFake.Json($"{{\"listen_port\":{port}}}") : null;
        var client = bed.Client();

        Assert.Equal(port, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task QBittorrentGetPreferencesAsync_AnnouncePort_ReadFromItsField()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith("preferences", StringComparison.Ordinal)
            ? QBittorrentFake.Json("{\"listen_port\":40010,\"upnp\":false,\"random_port\":false,\"announce_port\":6881}")
            : null;
        var client = bed.Client();

        Assert.Equal(new(40010, false, false, 6881), await client.GetPreferencesAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65535)]
    public async Task TransmissionGetListenPortAsync_PortAtRangeEdge_ReadAsIs(int port)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = r => r.Headers.Contains("X-Transmission-Session-Id") ? TransmissionFake.Json($$"""{"arguments":{"peer-port":{{port}}},"result":"success"}""") : null;
        var client = bed.Client();

        Assert.Equal(port, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"arguments":{"peer-port":-1},"result":"success"}""", "outside 0–65535")]
    [InlineData("""{"arguments":{"peer-port":65536},"result":"success"}""", "outside 0–65535")]
    [InlineData("""{"arguments":{"peer-port":51413},"result":"Success"}""", "refused session-get")] // only the exact word
    [InlineData("""{"arguments":{"peer-port":51413}}""", "no \"result\" field")]
    public async Task TransmissionGetListenPortAsync_AnswerNotAPortOrNotSuccess_InvalidResponseSayingWhat(string body, string expected)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = r => r.Headers.Contains("X-Transmission-Session-Id") ? TransmissionFake.Json(body) : null;
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65535)]
    public async Task DelugeGetListenPortAsync_PortAtRangeEdge_ReadAsIs(int port)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? DelugeFake.Json($$"""{"result": {{port}}, "error": null, "id": 1}""") : null;
        var client = bed.Client();

        Assert.Equal(port, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("-1", "-1")]
    [InlineData("65536", "65536")]
    [InlineData("6881.5", "6881.5")]
    [InlineData("[6881]", "a JSON array")]
    public async Task DelugeGetListenPortAsync_NotAPort_InvalidResponseShowingTheAnswer(string result, string shown)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_listen_port" ? DelugeFake.Json($$"""{"result": {{result}}, "error": null, "id": 1}""") : null;
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains($"answered {shown} instead of a port number", e.Message, StringComparison.Ordinal);
    }
}
