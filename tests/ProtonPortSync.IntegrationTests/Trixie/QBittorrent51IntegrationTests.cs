using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;
using static ProtonPortSync.IntegrationTests.QBittorrent.QBittorrentClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>The adapter against Debian 13's qbittorrent-nox 5.1.0, run from the cached trixie tree in its own namespace.</summary>
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
            using var client = Client(qbt, qbt.WritePasswordFile(), out var logins);

            Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
            await client.SetListenPortAsync(45123, CancellationToken.None);

            Assert.Equal(45123, await client.GetListenPortAsync(CancellationToken.None));
            Assert.True(await qbt.WaitUntilListeningAsync(45123), qbt.ListeningSockets());
            Assert.True(await qbt.WaitUntilListeningAsync(6881, listening: false), qbt.ListeningSockets());
            Assert.Equal(new QBittorrentPreferencesSnapshot(45123, false, false, AnnouncePort: 0), await client.GetPreferencesAsync(CancellationToken.None));
            Assert.Equal(1, logins.Count);
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(ChrootTree.HostHasMountsUnder(directory));
    }

    [Fact]
    public async Task GetListenPortAsync_QBittorrent51WrongPassword_OneLoginAttemptAndTheRightPasswordStillWorks()
    {
        using var qbt = await QBittorrentInstance.StartAsync(tree: ChrootTree.Trixie);
        using (var wrong = Client(qbt, qbt.WritePasswordFile("not-the-password\n"), out var logins))
        {
            var first = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.GetListenPortAsync(CancellationToken.None));
            Assert.Equal(TorrentClientFailure.BadCredentials, first.Failure);
            for (var i = 0; i < 6; i++)
            {
                var again = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.SetListenPortAsync(40000 + i, CancellationToken.None));
                Assert.Equal(TorrentClientFailure.BackingOff, again.Failure);
            }

            Assert.Equal(1, logins.Count);
        }

        using var right = Client(qbt, qbt.WritePasswordFile(), out _);
        Assert.Equal(QBittorrentInstance.DefaultListenPort, await right.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_QBittorrent51RestartedWithAnotherPort_LogsInAgainShowsDriftAndSetRepairsIt()
    {
        using var qbt = await QBittorrentInstance.StartAsync(tree: ChrootTree.Trixie);
        using var client = Client(qbt, qbt.WritePasswordFile(), out var logins);
        await client.SetListenPortAsync(45000, CancellationToken.None);

        await qbt.RestartAsync(listenPort: 46000);

        Assert.Equal(46000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, logins.Count);
        Assert.True(await qbt.WaitUntilListeningAsync(46000), qbt.ListeningSockets());
        await client.SetListenPortAsync(45000, CancellationToken.None);
        Assert.True(await qbt.WaitUntilListeningAsync(45000), qbt.ListeningSockets());
    }
}
