namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>
/// The gateway rows of issue 9's fault matrix, one test each, against the daemon process in a namespace. Every row
/// must hold: the daemon never exits, the port file only ever holds a valid port, the request rate stays bounded,
/// and the client is back on the forwarded port within a few cycles (1 s each) after the fault ends.
/// </summary>
public sealed class FaultMatrixTests
{
    private const ushort Port = 40123;
    private static readonly TimeSpan Cycles = TimeSpan.FromSeconds(8);

    /// <summary>The first sync also waits for the daemon to start (JIT, on a busy 2-core CI machine).</summary>
    private static readonly TimeSpan FirstSync = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Fault_HalfTheRepliesLost_InSyncAndNothingInvalid()
    {
        using var rig = new DaemonUnderFault("loss");
        var random = new Random(9);
        rig.Gateway.Behaviour = request => random.Next(2) == 0 ? [] : [new(rig.Gateway.Grant(request, Port))];

        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_RepliesDelayedPastTheDeadline_NoMappingThenInSyncWhenTimely()
    {
        using var rig = new DaemonUnderFault("delay");
        var late = true;
        rig.Gateway.Behaviour = request => [new(rig.Gateway.Grant(request, Port), Delay: late ? TimeSpan.FromMilliseconds(1500) : TimeSpan.Zero)];

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.DoesNotContain($"{Port}\n", rig.Seen);
        late = false;

        Assert.True(await rig.WaitForPortAsync(Port, Cycles), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_ConnectionRefused_SaysPortForwardingOffThenInSyncWhenBack()
    {
        using var rig = new DaemonUnderFault("refused");
        rig.Gateway.Behaviour = request => [new(rig.Gateway.Grant(request, Port))];
        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);

        await rig.Gateway.RefuseForAsync(TimeSpan.FromSeconds(3));

        Assert.Contains("connection refused", rig.Daemon.Output, StringComparison.Ordinal);
        Assert.True(await rig.WaitForPortAsync(Port, Cycles), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_SpoofedRepliesFromAnotherAddress_IgnoredNeverWritten()
    {
        using var rig = new DaemonUnderFault("spoof");
        rig.Gateway.Behaviour = request =>
        [
            new(rig.Gateway.Grant(request, 50000), FromWrongAddress: true),
            new(rig.Gateway.Grant(request, Port), Delay: TimeSpan.FromMilliseconds(100)),
        ];

        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_WrongInternalPort_IgnoredNeverWritten()
    {
        using var rig = new DaemonUnderFault("internal");
        rig.Gateway.Behaviour = request =>
        [
            new(rig.Gateway.Grant(request, 50001, internalPort: 7)),
            new(rig.Gateway.Grant(request, Port), Delay: TimeSpan.FromMilliseconds(100)),
        ];

        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_GatewayRestartEpochBackAndNewPort_ClientFollows()
    {
        using var rig = new DaemonUnderFault("epoch");
        ushort port = Port;
        rig.Gateway.Behaviour = request => [new(rig.Gateway.Grant(request, port))];
        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));

        port = Port + 77;
        rig.Gateway.ResetEpoch();

        Assert.True(await rig.WaitForPortAsync(Port + 77, Cycles), rig.Daemon.Output);
        Assert.Contains("epoch", rig.Daemon.Output, StringComparison.Ordinal);
        rig.AssertSafe(Port, Port + 77);
    }

    [Fact]
    public async Task Fault_PortRotatesEveryRenewal_ClientFollowsEveryPort()
    {
        using var rig = new DaemonUnderFault("rotate");
        var port = 30000;
        rig.Gateway.Behaviour = request => [new(rig.Gateway.Grant(request, (ushort)(request[1] == 1 ? Interlocked.Increment(ref port) : Volatile.Read(ref port))))];

        Assert.True(await rig.WaitForPortAsync(30003, TimeSpan.FromSeconds(15)), rig.Daemon.Output);
        rig.AssertSafe();
    }
}
