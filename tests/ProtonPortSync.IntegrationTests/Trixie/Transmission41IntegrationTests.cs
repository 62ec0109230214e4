using Microsoft.Extensions.Logging;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Transmission;
using Xunit.Abstractions;
using static ProtonPortSync.IntegrationTests.Transmission.TransmissionClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Trixie;

/// <summary>
/// The adapter against Debian 13's transmission-daemon 4.1.0~beta2, run from the cached trixie tree in its own
/// namespace: the same scenarios as against 3.00, plus the chroot's own promises.
/// </summary>
public sealed class Transmission41IntegrationTests(ITestOutputHelper output)
{
    /// <summary>4.1 knows port-test's ipProtocol; with only lo its outside service is unreachable: unknown, the RPC still works.</summary>
    [Fact]
    public async Task GetConnectionStatusAsync_Transmission41PortTestWithoutAnOutsideService_UnknownAndTheClientStillWorks()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413, tree: ChrootTree.Trixie);
        var logger = new OutputLogger(output);
        using var client = new TransmissionClient(
            new TransmissionOptions { RpcUrl = tr.RpcUrl, Username = TransmissionInstance.Username, PasswordFile = tr.WritePasswordFile(), RequestTimeout = TimeSpan.FromSeconds(10), PortTest = true },
            TimeProvider.System,
            logger,
            tr.CreateHandler());
        Assert.Equal(51413, await client.GetListenPortAsync(CancellationToken.None));

        var status = await client.GetConnectionStatusAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ClientConnectionStatus.Unknown, status);
        Assert.Contains(logger.Lines, l => l.Contains("port test of peer port 51413 gave no answer", StringComparison.Ordinal));
        await client.SetListenPortAsync(45123, CancellationToken.None);
        Assert.True(await tr.WaitUntilListeningAsync(45123), tr.ListeningSockets());
    }

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

    private sealed class OutputLogger(ITestOutputHelper output) : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"[{eventId.Id}] {formatter(state, exception)}";
            lock (Lines)
            {
                Lines.Add(line);
            }

            output.WriteLine(line);
        }
    }
}
