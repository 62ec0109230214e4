using ProtonPortSync.IntegrationTests.Infrastructure;
using static ProtonPortSync.IntegrationTests.Deluge.DelugeClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>
/// The adapter against Debian 13's deluged + deluge-web 2.2.0, run from the cached trixie tree (each process with its
/// own overlay) in one namespace: the same scenarios as against 2.0.3, plus the chroot's own promises.
/// </summary>
public sealed class Deluge22IntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_Deluge22_ReadsBackListensAndLeavesNoMount()
    {
        Assert.StartsWith("2.2.0", ChrootTree.Trixie.Versions["deluged"], StringComparison.Ordinal);
        Assert.StartsWith("2.2.0", ChrootTree.Trixie.Versions["deluge-web"], StringComparison.Ordinal);
        string directory;
        using (var deluge = await DelugeInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie))
        {
            directory = deluge.Directory;
            Assert.False(ChrootTree.HostHasMountsUnder(directory), "the chroot's mounts must stay in the peers' own mount namespaces");
            await SetReadsBackAndListensAsync(deluge);
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(ChrootTree.HostHasMountsUnder(directory));
    }

    [Fact]
    public async Task GetListenPortAsync_Deluge22WrongPassword_OneLoginAcrossCallsAndTheRightPasswordStillWorks()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        await WrongPasswordOneLoginAsync(deluge);
    }

    [Fact]
    public async Task GetListenPortAsync_Deluged22RestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        await RestartedWithAnotherPortShowsDriftAsync(deluge);
    }
}
