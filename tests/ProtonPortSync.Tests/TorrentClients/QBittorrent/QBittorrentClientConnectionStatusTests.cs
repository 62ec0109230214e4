using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

/// <summary>connection_status from transfer/info: the three known values, and anything else as Unknown (never trusted).</summary>
public sealed class QBittorrentClientConnectionStatusTests
{
    [Theory]
    [InlineData("connected")]
    [InlineData("firewalled")]
    [InlineData("disconnected")]
    public async Task GetConnectionStatusAsync_KnownValue_Parsed(string text)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.TransferInfoJson = $$"""{"connection_status":"{{text}}","dht_nodes":0}""";

        var status = await bed.Client().GetConnectionStatusAsync(CancellationToken.None);

        Assert.NotEqual(ClientConnectionStatus.Unknown, status);
        Assert.Equal(text, ClientConnectionStatusText.Name(status));
        Assert.Single(bed.Fake.Requests, r => r.Path == "/api/v2/transfer/info" && r.Method == "GET");
    }

    [Theory]
    [InlineData("""{"connection_status":"Connected"}""")]
    [InlineData("""{"connection_status":"connected\r\nfake line"}""")]
    [InlineData("""{"connection_status":" firewalled"}""")]
    [InlineData("""{"connection_status":"\u001b[31mdisconnected"}""")]
    [InlineData("""{"connection_status":"\ud800"}""")] // valid JSON, not valid UTF-16: GetString would throw
    [InlineData("""{"connection_status":1}""")]
    [InlineData("""{"connection_status":null}""")]
    [InlineData("""{"dht_nodes":0}""")]
    [InlineData("""["connected"]""")]
    [InlineData("null")]
    public async Task GetConnectionStatusAsync_UnexpectedValue_Unknown(string json)
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.TransferInfoJson = json;

        Assert.Equal(ClientConnectionStatus.Unknown, await bed.Client().GetConnectionStatusAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetConnectionStatusAsync_NotJson_InvalidResponseWithCleanText()
    {
        using var bed = new QBittorrentTestBed();
        bed.Fake.TransferInfoJson = "<html>\u001b[2J proxy error</html>";

        var ex = await Assert.ThrowsAsync<TorrentClientException>(() => bed.Client().GetConnectionStatusAsync(CancellationToken.None));

        Assert.Equal(TorrentClientFailure.InvalidResponse, ex.Failure);
        Assert.Contains("transfer/info", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', ex.Message);
    }

    [Fact]
    public async Task GetConnectionStatusAsync_SessionExpired_LogsInAgainOnce()
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client();
        await client.GetListenPortAsync(CancellationToken.None);
        bed.Fake.ExpireSessions();

        Assert.Equal(ClientConnectionStatus.Connected, await client.GetConnectionStatusAsync(CancellationToken.None));
        Assert.Equal(2, bed.Fake.LoginAttempts);
    }

    [Fact]
    public void Name_EachStatus_DistinctAndRoundTripsThroughParse()
    {
        Assert.Equal(["connected", "firewalled", "disconnected", "unknown"], ClientConnectionStatusText.All.Select(ClientConnectionStatusText.Name));
        Assert.All(ClientConnectionStatusText.All, s => Assert.Equal(s, ClientConnectionStatusText.Parse(ClientConnectionStatusText.Name(s))));
    }
}
