using System.Text.Json;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

public sealed class DelugeClientReannounceTests
{
    [Fact]
    public async Task SetListenPortAsync_ReannounceOn_ForceReannounceWithEveryTorrentId()
    {
        using var bed = new DelugeTestBed();

        await bed.Client(reannounce: true).SetListenPortAsync(40000, default);

        var call = bed.Fake.Requests.Single(r => r.Method == "core.force_reannounce");
        using var doc = JsonDocument.Parse(call.Body);
        Assert.Equal(["0f4b", "9a1c"], doc.RootElement.GetProperty("params")[0].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, bed.Fake.Count("core.get_session_state"));
        Assert.Contains(bed.Logger.Entries, e => e.EventId == 2311 && e.Message.Contains("its 2 torrent(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetListenPortAsync_NoTorrents_NoReannounceCall()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.TorrentIds = [];

        await bed.Client(reannounce: true).SetListenPortAsync(40000, default);

        Assert.Equal(0, bed.Fake.Count("core.force_reannounce"));
    }

    [Fact]
    public async Task SetListenPortAsync_ReannounceOff_NeitherCall()
    {
        using var bed = new DelugeTestBed();

        await bed.Client().SetListenPortAsync(40000, default);

        Assert.Equal(0, bed.Fake.Count("core.get_session_state") + bed.Fake.Count("core.force_reannounce"));
    }

    [Theory]
    [InlineData("""["\ud800"]""")] // valid JSON, not valid UTF-16 (found by scripts/fuzz.sh: it escaped as a JsonException)
    [InlineData("""["0f4b", "not hex"]""")]
    [InlineData("""["0f4b", ""]""")]
    [InlineData("""["0f4b", 7]""")]
    [InlineData("""{"0f4b": 1}""")]
    public async Task SetListenPortAsync_SessionStateNotTorrentIds_PortStillSetNoReannounceAndAWarning(string result)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m => m == "core.get_session_state" ? DelugeFake.Json($$"""{"result": {{result}}, "error": null, "id": 1}""") : null;

        await bed.Client(reannounce: true).SetListenPortAsync(40000, default);

        Assert.Equal(40000, bed.Fake.BoundPort);
        Assert.Equal(0, bed.Fake.Count("core.force_reannounce"));
        Assert.Contains(bed.Logger.Entries, e => e.Message.Contains("reannounce failed", StringComparison.Ordinal) && e.Message.Contains("not a list of torrent ids", StringComparison.Ordinal));
    }

    [Fact]
    public void TorrentIds_FortyHexDigitsEach_ReturnedInOrder()
    {
        using var doc = JsonDocument.Parse("""["d2474e86c95b19b8bcfdb92bc12c9d44667cfa36", "0F4B"]""");

        Assert.Equal(["d2474e86c95b19b8bcfdb92bc12c9d44667cfa36", "0F4B"], ProtonPortSync.TorrentClients.Deluge.DelugeClient.TorrentIds(doc.RootElement)!);
    }
}
