using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

/// <summary>Logging in to deluge-web: what a refusal and the backoff after it tell the operator, and when the backoff starts over.</summary>
public sealed class DelugeClientLoginTests
{
    [Fact]
    public async Task GetListenPortAsync_PasswordRefused_MessageNamesTheFileAndTheRetryTime()
    {
        using var bed = new DelugeTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong\n");
        var client = bed.Client();

        var refused = await DelugeTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));
        var waiting = await DelugeTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.GetListenPortAsync(CancellationToken.None));

        var retryAt = bed.Time.GetUtcNow() + LoginGate.FirstRefusalBackoff;
        Assert.Equal(retryAt, refused.RetryNotBefore);
        Assert.Contains($"deluge-web refused the password from '{bed.PasswordFile}'; not trying again before {retryAt:O}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"deluge-web refused the password in '{bed.PasswordFile}' and the file has not changed since", waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_RefusedAgainAfterAGoodLogin_BackoffStartsOver()
    {
        using var bed = new DelugeTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong\n");
        var client = bed.Client();
        await DelugeTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password);
        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));

        // Someone changes the Web UI password; the session expires; the file still has the old one.
        bed.Fake.Password = "changed-in-the-web-ui";
        bed.Fake.ExpireSessions();
        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(bed.Time.GetUtcNow() + LoginGate.FirstRefusalBackoff, e.RetryNotBefore);
    }

    [Fact]
    public async Task GetListenPortAsync_FreshClient_LogsTheLoginOnce()
    {
        using var bed = new DelugeTestBed();
        var client = bed.Client();

        await client.GetListenPortAsync(CancellationToken.None);
        await client.GetListenPortAsync(CancellationToken.None);

        Assert.Equal(1, bed.Logger.Count(2300));
        Assert.Contains("Logged in to deluge-web at http://127.0.0.1:8112/json", bed.Logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_NoAnswer_UnreachableNamingDelugeWeb()
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = _ => throw new HttpRequestException("Connection refused");
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.StartsWith("Cannot reach deluge-web at http://127.0.0.1:8112/json", e.Message, StringComparison.Ordinal);
    }
}
