namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>
/// The client rows of issue 9's fault matrix (and D-Bus unavailable), one test each: a scripted qBittorrent WebUI and
/// a healthy gateway in a namespace, the daemon as a process. Every row must hold: the daemon never exits, only valid
/// ports are written, logins stay within the refusal/ban caps, and the client is back in sync within a few cycles
/// after the fault ends.
/// </summary>
public sealed class ClientFaultMatrixTests
{
    private const ushort Port = 40123;
    private static readonly TimeSpan FirstSync = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Cycles = TimeSpan.FromSeconds(8);

    private static DaemonUnderFault Rig(string purpose, string recovery = "none")
    {
        var rig = new DaemonUnderFault(purpose, qbittorrent: true, recovery: recovery);
        rig.Gateway.Behaviour = request => [new(rig.Gateway.Grant(request, Port))];
        return rig;
    }

    [Fact]
    public async Task Fault_ClientDownThenBack_InSyncAfter()
    {
        using var rig = Rig("cdown");
        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);

        rig.QBittorrent!.Down();
        rig.QBittorrent.ListenPort = 6881; // it comes back restarted, with its configured port
        await Task.Delay(TimeSpan.FromSeconds(3));
        rig.QBittorrent.Up();

        Assert.True(await rig.WaitForPortAsync(Port, Cycles), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_ClientRestartedOnOldPort_Repaired()
    {
        using var rig = Rig("crestart");
        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);

        rig.QBittorrent!.ListenPort = 6881;

        Assert.True(await rig.WaitForPortAsync(Port, Cycles), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_Client500_RetriedThenInSync()
    {
        using var rig = Rig("c500");
        rig.QBittorrent!.Fault = QBittorrentFault.ServerError;
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.NotEqual(Port, rig.QBittorrent.ListenPort);

        rig.QBittorrent.Fault = QBittorrentFault.None;

        Assert.True(await rig.WaitForPortAsync(Port, FirstSync), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_WrongPassword_OneLoginNoLoop()
    {
        using var rig = Rig("cpw");
        rig.QBittorrent!.Fault = QBittorrentFault.WrongPassword;

        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal(1, Volatile.Read(ref rig.QBittorrent.Logins));
        Assert.Contains("refused the password", rig.Daemon.Output, StringComparison.Ordinal);
        rig.AssertSafe();
    }

    [Fact]
    public async Task Fault_Banned_OneLoginThenWaits()
    {
        using var rig = Rig("cban");
        rig.QBittorrent!.Fault = QBittorrentFault.Banned;

        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal(1, Volatile.Read(ref rig.QBittorrent.Logins));
        Assert.Contains("banned", rig.Daemon.Output, StringComparison.Ordinal);
        rig.AssertSafe();
    }

    [Fact]
    public async Task Fault_HugeAnswer_RefusedAsTooLargeThenInSync()
    {
        using var rig = Rig("chuge");
        rig.QBittorrent!.Fault = QBittorrentFault.HugeAnswer;
        Assert.Contains("answer too large", await rig.Daemon.WaitForEventAsync(2014, FirstSync, containing: "answer too large"), StringComparison.Ordinal);

        rig.QBittorrent.Fault = QBittorrentFault.None;

        Assert.True(await rig.WaitForPortAsync(Port, Cycles), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    [Fact]
    public async Task Fault_DbusUnavailable_RecoveryFailsDaemonStaysAndSyncsWhenGatewayBack()
    {
        using var rig = new DaemonUnderFault("dbus", recovery: "systemd");
        var answering = false;
        rig.Gateway.Behaviour = request => Volatile.Read(ref answering) ? [new(rig.Gateway.Grant(request, Port))] : [];

        await rig.Daemon.WaitForEventAsync(2009, FirstSync);
        Volatile.Write(ref answering, true);

        Assert.True(await rig.WaitForPortAsync(Port, TimeSpan.FromSeconds(20)), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }
}
