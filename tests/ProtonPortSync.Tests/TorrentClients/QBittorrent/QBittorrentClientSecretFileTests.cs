using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

public sealed class QBittorrentClientSecretFileTests
{
    [Fact]
    public async Task GetListenPortAsync_PasswordFileMissing_ThrowsNamingTheFileWithoutContactingQBittorrent()
    {
        using var bed = new QBittorrentTestBed();
        File.Delete(bed.PasswordFile);
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains(bed.PasswordFile, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Fake.Requests);
    }

    [Fact]
    public async Task GetListenPortAsync_PasswordFileOnlyNewline_ThrowsEmpty()
    {
        using var bed = new QBittorrentTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "\n");
        var client = bed.Client();

        var e = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Fake.Requests);
    }

    [Fact]
    public async Task GetListenPortAsync_PasswordFileReadableByOthers_WarnsOnceAndStillWorks()
    {
        using var bed = new QBittorrentTestBed();
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(bed.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var client = bed.Client();

        await client.GetListenPortAsync(CancellationToken.None);
        bed.Fake.ExpireSessions();
        await client.GetListenPortAsync(CancellationToken.None);

        Assert.Equal(2, bed.Fake.LoginAttempts);
        Assert.Equal(1, bed.Logger.Count(2105));
    }

    [Fact]
    public async Task GetListenPortAsync_PasswordFileMode600_DoesNotWarn()
    {
        using var bed = new QBittorrentTestBed();
        var client = bed.Client();

        await client.GetListenPortAsync(CancellationToken.None);

        Assert.Equal(0, bed.Logger.Count(2105));
    }
}
