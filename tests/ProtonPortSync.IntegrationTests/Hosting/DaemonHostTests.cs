using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Cli;
using ProtonPortSync.Demo;
using ProtonPortSync.Hosting;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients.PortFile;

namespace ProtonPortSync.IntegrationTests.Hosting;

/// <summary>The composition root's exit codes, against the gateway emulator on loopback.</summary>
public sealed class DaemonHostTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-host-").FullName;
    private ProtonGatewayEmulator _gateway = null!;

    public Task InitializeAsync()
    {
        _gateway = ProtonGatewayEmulator.Start(TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private DaemonOptions Options(IPEndPoint? metrics = null) => new()
    {
        Gateway = _gateway.LocalEndPoint,
        BindAddress = IPAddress.Loopback,
        Client = PortFileModule.For(Path.Combine(_directory, "port")),
        Recovery = RecoveryKind.None,
        MetricsAddress = metrics,
    };

    [Fact]
    public async Task RunAsync_LoopCrashes_ExitsNonZeroSoThatSystemdRestartsIt()
    {
        var exit = await DaemonHost.RunAsync(Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None, new NoRecoveryAction(), [new ThrowingObserver()])
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(DaemonHost.ExitCrashed, exit);
        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task RunAsync_Stopped_ExitsZeroAfterReleasingTheMappings()
    {
        using var stop = new CancellationTokenSource();
        var run = DaemonHost.RunAsync(Options(), NullLoggerFactory.Instance, TimeProvider.System, stop.Token, new NoRecoveryAction(), [new StopAfterFirstCycle(stop)]);

        Assert.Equal(CommandLineApp.ExitOk, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Null(_gateway.CurrentPort);
    }

    [Fact]
    public async Task RunAsync_MetricsPortTaken_ExitsNonZeroWithoutRunning()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();

        var exit = await DaemonHost.RunAsync(Options((IPEndPoint)squatter.LocalEndPoint!), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None, new NoRecoveryAction())
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(CommandLineApp.ExitFailure, exit);
        Assert.Equal(0, _gateway.RequestCount(ProtonPortSync.NatPmp.NatPmpOpcode.MapUdp));
    }

    private sealed class ThrowingObserver : ISyncObserver
    {
        public void Heartbeat(SyncState state, DateTimeOffset now) => throw new InvalidOperationException("a bug in an observer");
    }

    private sealed class StopAfterFirstCycle(CancellationTokenSource stop) : ISyncObserver
    {
        public void Heartbeat(SyncState state, DateTimeOffset now) => stop.Cancel();
    }
}
