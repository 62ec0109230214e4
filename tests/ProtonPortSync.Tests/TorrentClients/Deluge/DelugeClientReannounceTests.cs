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
}
