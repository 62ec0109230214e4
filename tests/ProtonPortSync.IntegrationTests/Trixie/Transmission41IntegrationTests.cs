using ProtonPortSync.IntegrationTests.Infrastructure;
using static ProtonPortSync.IntegrationTests.Transmission.TransmissionClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>
/// The adapter against Debian 13's transmission-daemon 4.1.0~beta2, run from the cached trixie tree in its own
/// namespace: the same scenarios as against 3.00, plus the chroot's own promises.
/// </summary>
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
            await SetReadsBackAndListensAsync(tr);
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(ChrootTree.HostHasMountsUnder(directory));
    }

    [Fact]
    public async Task GetListenPortAsync_Transmission41WrongPassword_OneRequestAcrossCallsAndTheRightPasswordStillWorks()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413, tree: ChrootTree.Trixie);
        await WrongPasswordOneRequestAsync(tr);
    }

    [Fact]
    public async Task GetListenPortAsync_Transmission41RestartedWithAnotherPort_ShowsDriftAndSetRepairsIt()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413, tree: ChrootTree.Trixie);
        await RestartedWithAnotherPortShowsDriftAsync(tr);
    }
}
