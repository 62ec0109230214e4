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
    public async Task GetListenPortAsync_PasswordFileReadableByOthers_StillWorksAndLeavesTheWarningToTheStartCheck()
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

        // `run` says it once at start (event 5003, the doctor check's words); the adapter used to say it again.
        Assert.Equal(2, bed.Fake.LoginAttempts);
        Assert.DoesNotContain("chmod", bed.Logger.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("read by group or others", bed.Logger.AllText(), StringComparison.Ordinal);
    }
}
