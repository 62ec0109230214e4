using Xunit.Abstractions;
using System.Diagnostics;
using System.Globalization;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// The shipped unit files under a real systemd (the user instance): Type=notify and READY=1, stop and release,
/// coming back with the tunnel, and the watchdog. The rig is in <see cref="DaemonUnitRig"/>.
/// </summary>
[Collection(RealSystemdGroup.Name)]
public sealed class ShippedUnitOnUserManagerTests(ITestOutputHelper output)
{
    private const string Unit = "proton-port-sync.service";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_ShippedUnit_ReturnsOnlyWhenTheClientIsOnTheMappedPortAndStatusShowsIt()
    {
        await using var rig = await DaemonUnitRig.StartAsync();

        rig.Manager.Check("start", Unit);

        // No wait: `systemctl start` of a Type=notify unit returns after READY=1, which comes after the first cycle.
        var mapped = rig.Gateway.CurrentPort;
        Assert.NotNull(mapped);
        Assert.Equal((int)mapped.Value, rig.ClientPort());
        Assert.Equal("active", rig.Show("ActiveState"));
        Assert.Contains(mapped.Value.ToString(CultureInfo.InvariantCulture), rig.Show("StatusText"), StringComparison.Ordinal);
        Assert.Equal(["wireguard-wg0.service"], rig.TunnelStarts());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Start_PortFileInTheRuntimeDirectory_WrittenThereReadableByOthersDespiteUMask()
    {
        await using var rig = await DaemonUnitRig.StartAsync(environment: new Dictionary<string, string>
        {
            ["TORRENT_CLIENT"] = "none",
            ["PORT_FILE"] = "%t/proton-port-sync/forwarded_port",
        });
        var directory = Path.Combine(rig.Manager.RuntimeDirectory, "proton-port-sync");
        var file = Path.Combine(directory, "forwarded_port");

        rig.Manager.Check("start", Unit);

        // A port file is a sink on a worker of its own: wait (bounded) for its first write.
        await SystemdUserManager.WaitUntilAsync(() => File.Exists(file), TimeSpan.FromSeconds(10), "the port file's first write");

        var mapped = rig.Gateway.CurrentPort;
        Assert.NotNull(mapped);
        Assert.Equal($"{mapped.Value}\n", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        Assert.Equal("0077", rig.Show("UMask"));
        Assert.True(File.GetUnixFileMode(directory).HasFlag(UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
    }

    [Fact]
    public async Task Stop_ShippedUnit_DeletesTheMappingsAndLeavesTheUnitInactiveNotFailed()
    {
        await using var rig = await DaemonUnitRig.StartAsync();
        rig.Manager.Check("start", Unit);
        Assert.NotNull(rig.Gateway.CurrentPort);

        rig.Manager.Check("stop", Unit);

        Assert.Null(rig.Gateway.CurrentPort);
        Assert.Equal("inactive", rig.Show("ActiveState"));
        Assert.Equal("success", rig.Show("Result"));
        Assert.Contains("[2017]", rig.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TunnelStoppedThenStarted_EnabledShippedUnit_DaemonRunsAgainAndClientIsBackInSyncWithinOneRenewInterval()
    {
        await using var rig = await DaemonUnitRig.StartAsync();
        rig.Manager.Check("enable", Unit);
        rig.Manager.Check("start", Unit);
        var firstPid = rig.Show("MainPID");

        rig.Manager.Check("stop", "wireguard-wg0.service");
        Assert.Equal("inactive", rig.Show("ActiveState"));
        Assert.Equal("success", rig.Show("Result"));
        File.Delete(rig.PortFile);

        var tunnelUp = Stopwatch.StartNew();
        rig.Manager.Check("start", "wireguard-wg0.service");
        await SystemdUserManager.WaitUntilAsync(() => rig.ClientPort() is { } p && p == rig.Gateway.CurrentPort, Bound, "the client back on the mapped port");
        var elapsed = tunnelUp.Elapsed;
        output.WriteLine($"client back in sync {elapsed.TotalSeconds:0.00} s after the tunnel started");

        // The tunnel's start pulls the daemon in without waiting for it, and the daemon sends READY=1 after its first cycle
        // has reached the client: the unit turns active just after the client is back, not necessarily before.
        await SystemdUserManager.WaitUntilAsync(() => rig.Show("ActiveState") == "active", Bound, "the unit active again (READY=1)");
        Assert.NotEqual(firstPid, rig.Show("MainPID"));

        // One renew interval (2 s) plus the daemon's own start-up (JIT build: up to a few seconds on a busy machine).
        Assert.True(elapsed < TimeSpan.FromSeconds(2) + StartupAllowance, $"took {elapsed}");
    }

    [Fact]
    public async Task Watchdog_HealthyThenFrozen_OnlyTheFrozenDaemonIsRestarted()
    {
        await using var rig = await DaemonUnitRig.StartAsync(extra: "WatchdogSec=3\nRestartSec=1");
        rig.Manager.Check("start", Unit);
        var pid = rig.Show("MainPID");

        // Healthy for more than two watchdog periods: never restarted.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Equal(pid, rig.Show("MainPID"));
        Assert.Equal("0", rig.Show("NRestarts"));

        Shell.Check("kill", "-STOP", pid);
        // Watchdog (3 s) + abort timeout (TimeoutAbortSec=5s, SIGKILL: the frozen process cannot handle SIGABRT) +
        // RestartSec=1 + a start up to READY=1: ~15 s; bounded at 60 s for a loaded machine, with the state on failure.
        try
        {
            await SystemdUserManager.WaitUntilAsync(
                () => rig.Show("NRestarts") != "0" && rig.Show("ActiveState") == "active" && rig.Show("MainPID") is var p && p != pid && p != "0",
                TimeSpan.FromSeconds(60),
                "the watchdog to restart the frozen daemon");
        }
        catch (TimeoutException e)
        {
            var log = rig.Log();
            throw new TimeoutException($"{e.Message}: NRestarts={rig.Show("NRestarts")} ActiveState={rig.Show("ActiveState")} SubState={rig.Show("SubState")} Result={rig.Show("Result")} MainPID={rig.Show("MainPID")} (frozen {pid}); log tail: {log[Math.Max(0, log.Length - 1500)..]}", e);
        }

        Assert.False(Directory.Exists($"/proc/{pid}"), "the frozen daemon is still there");
    }

    private static TimeSpan StartupAllowance => Environment.GetEnvironmentVariable("PPS_DAEMON") is { Length: > 0 } ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(6);
}
