using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using static ProtonPortSync.IntegrationTests.Deluge.DelugeClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>The adapter against Debian 13's deluged + deluge-web 2.2.0, run from the cached trixie tree in their own namespace.</summary>
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
            using var client = Client(deluge, deluge.WritePasswordFile(), out var logins);

            Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
            await client.SetListenPortAsync(45123, CancellationToken.None);

            Assert.Equal(45123, await client.GetListenPortAsync(CancellationToken.None));
            Assert.True(await deluge.WaitUntilListeningAsync(45123), deluge.ListeningSockets());
            Assert.True(await deluge.WaitUntilListeningAsync(6881, listening: false), deluge.ListeningSockets());
            Assert.Equal(1, logins.Count);
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(ChrootTree.HostHasMountsUnder(directory));
    }

    [Fact]
    public async Task GetListenPortAsync_Deluge22WrongPassword_OneLoginAcrossCallsAndTheRightPasswordStillWorks()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        using (var wrong = Client(deluge, deluge.WritePasswordFile("not-the-password\n"), out var logins))
        {
            var first = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.GetListenPortAsync(CancellationToken.None));
            Assert.Equal(TorrentClientFailure.BadCredentials, first.Failure);
            for (var i = 0; i < 5; i++)
            {
                var again = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.SetListenPortAsync(40000 + i, CancellationToken.None));
                Assert.Equal(TorrentClientFailure.BackingOff, again.Failure);
            }

            Assert.Equal(1, logins.Count);
        }

        using var right = Client(deluge, deluge.WritePasswordFile(), out _);
        Assert.Equal(6881, await right.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_Deluged22RestartedWithAnotherPort_ReconnectsShowsDriftAndSetRepairsIt()
    {
        using var deluge = await DelugeInstance.StartAsync(listenPort: 6881, tree: ChrootTree.Trixie);
        using var client = Client(deluge, deluge.WritePasswordFile(), out _);
        await client.SetListenPortAsync(45000, CancellationToken.None);

        await deluge.RestartDaemonAsync(listenPort: 46000);

        Assert.Equal(46000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await deluge.WaitUntilListeningAsync(46000), deluge.ListeningSockets());
        await client.SetListenPortAsync(45000, CancellationToken.None);
        Assert.True(await deluge.WaitUntilListeningAsync(45000), deluge.ListeningSockets());
    }
}
