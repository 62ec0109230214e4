using ProtonPortSync.IntegrationTests.Infrastructure;
using static ProtonPortSync.IntegrationTests.QBittorrent.QBittorrentClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>
/// The adapter against Debian 13's qbittorrent-nox 5.1.0, run from the cached trixie tree in its own namespace: the
/// same scenarios as against 4.5.2, plus the chroot's own promises (version, no mount on the host, none left behind).
/// </summary>
public sealed class QBittorrent51IntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_QBittorrent51_ReadsBackListensAndLeavesNoMount()
    {
        Assert.StartsWith("5.1.0", ChrootTree.Trixie.Versions["qbittorrent-nox"], StringComparison.Ordinal);
        string directory;
        using (var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie))
        {
            directory = qbt.Directory;
            Assert.False(ChrootTree.HostHasMountsUnder(directory), "the chroot's mounts must stay in the peer's own mount namespace");
            await SetReadsBackAndListensAsync(qbt, announcePort: 0); // 5.1 has announce_port, 0 by default
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(ChrootTree.HostHasMountsUnder(directory));
    }

    [Fact]
    public async Task GetListenPortAsync_QBittorrent51WrongPassword_OneLoginAttemptAndTheRightPasswordStillWorks()
    {
        using var qbt = await QBittorrentInstance.StartAsync(tree: ChrootTree.Trixie);
        await WrongPasswordOneLoginAndNoBanAsync(qbt);
    }

    [Fact]
    public async Task GetListenPortAsync_QBittorrent51RestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var qbt = await QBittorrentInstance.StartAsync(tree: ChrootTree.Trixie);
        await RestartedWithAnotherPortShowsDriftAsync(qbt);
    }
}
