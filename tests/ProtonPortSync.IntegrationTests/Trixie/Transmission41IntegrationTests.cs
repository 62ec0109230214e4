using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Transmission;
using static ProtonPortSync.IntegrationTests.Transmission.TransmissionClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>The adapter against Debian 13's transmission-daemon 4.1.0~beta2, run from the cached trixie tree in its own namespace.</summary>
public sealed class Transmission41IntegrationTests
{
    [Fact]
    public async Task SetListenPortAsync_Transmission41_ReadsBackListensAndLeavesNoMount()
    {
        Assert.StartsWith("4.1.0", ChrootTree.Trixie.Versions["transmission-daemon"], StringComparison.Ordinal);
        string directory;
        using (var tr = await TransmissionInstance.StartAsync(peerPort: 51413, tree: ChrootTree.Trixie))
        {
            directory = tr.Directory;
            Assert.False(ChrootTree.HostHasMountsUnder(directory), "the chroot's mounts must stay in the peer's own mount namespace");
            using var client = Client(tr, tr.WritePasswordFile(), out _);

            Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));
            await client.SetListenPortAsync(45123, CancellationToken.None);

            Assert.Equal(new TransmissionSessionSnapshot(45123, false, false), await client.GetSessionAsync(CancellationToken.None));
            Assert.True(await tr.WaitUntilListeningAsync(45123), tr.ListeningSockets());
            Assert.True(await tr.WaitUntilListeningAsync(51413, listening: false), tr.ListeningSockets());
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(ChrootTree.HostHasMountsUnder(directory));
    }

    [Fact]
    public async Task GetListenPortAsync_Transmission41WrongPassword_OneRequestAcrossCallsAndTheRightPasswordStillWorks()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413, tree: ChrootTree.Trixie);
        using (var wrong = Client(tr, tr.WritePasswordFile("not-the-password\n"), out var requests))
        {
            var first = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.GetListenPortAsync(CancellationToken.None));
            Assert.Equal(TorrentClientFailure.BadCredentials, first.Failure);
            for (var i = 0; i < 5; i++)
            {
                var again = await Assert.ThrowsAsync<TorrentClientException>(() => wrong.SetListenPortAsync(40000 + i, CancellationToken.None));
                Assert.Equal(TorrentClientFailure.BackingOff, again.Failure);
            }

            Assert.Equal(1, requests.Count);
        }

        using var right = Client(tr, tr.WritePasswordFile(), out _);
        Assert.Equal(51413, await right.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_Transmission41RestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413, tree: ChrootTree.Trixie);
        using var client = Client(tr, tr.WritePasswordFile(), out _);
        await client.SetListenPortAsync(45000, CancellationToken.None);

        await tr.RestartAsync(peerPort: 46000); // a new session id too: the adapter must redo the handshake

        Assert.Equal(46000, await client.GetListenPortAsync(CancellationToken.None));
        Assert.True(await tr.WaitUntilListeningAsync(46000), tr.ListeningSockets());
        await client.SetListenPortAsync(45000, CancellationToken.None);
        Assert.True(await tr.WaitUntilListeningAsync(45000), tr.ListeningSockets());
    }
}
