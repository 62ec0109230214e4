using Xunit.Abstractions;
namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// Recovery against a real systemd: restarting a tunnel the daemon is bound to restarts the daemon too, so the hourly
/// cap only holds because the recovery history is persisted in StateDirectory=.
/// </summary>
[Collection(RealSystemdGroup.Name)]
public sealed class RecoveryOnUserManagerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    /// <summary>How long the test watches for a third restart after the second: many failure cycles at these intervals.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task SilentGateway_ShippedUnitWithCapTwo_RestartsTheTunnelTwiceAcrossItsOwnRestartsThenStops()
    {
        await using var rig = await DaemonUnitRig.StartAsync();
        rig.Manager.Check("start", "proton-port-sync.service");
        var firstPid = rig.Show("MainPID");

        rig.Gateway.SetUnresponsive(true);
        await AssertCappedAtTwoAsync(rig, "wireguard-wg0.service");

        // Each tunnel restart restarted the daemon (BindsTo=): the cap held across processes.
        Assert.NotEqual(firstPid, rig.Show("MainPID"));
        Assert.Equal("active", rig.Show("ActiveState"));
        Assert.Equal(2, File.ReadAllLines(rig.HistoryFile).Count(l => l.Length > 0));
    }

    [Fact]
    public async Task SilentGateway_SlowRecoveryCommandThatRestartsTheTunnel_CapHoldsAcrossRestarts()
    {
        // The command carries the bus address itself: the daemon gives commands no inherited environment to rely on.
        var command = "sleep 2; env XDG_RUNTIME_DIR={0} DBUS_SESSION_BUS_ADDRESS={1} systemctl --user restart wireguard-wg0.service";
        await using var rig = await DaemonUnitRig.StartAsync(environment: new Dictionary<string, string>
        {
            ["RECOVERY"] = "command",
            ["RECOVERY_TIMEOUT"] = "10",
        });
        rig.Manager.WriteDropIn("proton-port-sync.service", File.ReadAllText(Path.Combine(rig.Manager.UnitDirectory, "proton-port-sync.service.d", "test.conf"))
            + $"\nEnvironment=\"RECOVERY_COMMAND={string.Format(System.Globalization.CultureInfo.InvariantCulture, command, rig.Manager.RuntimeDirectory, rig.Manager.BusAddress)}\"\n");
        rig.Manager.Check("start", "proton-port-sync.service");

        rig.Gateway.SetUnresponsive(true);
        await AssertCappedAtTwoAsync(rig, "wireguard-wg0.service");
        Assert.Equal("active", rig.Show("ActiveState"));
    }

    [Fact]
    public async Task SilentGateway_TemplateInstance_RestartsExactlyWgQuickAtThatInstance()
    {
        await using var rig = await DaemonUnitRig.StartAsync("proton-port-sync@.service", instance: "wg7");
        rig.Manager.Check("start", rig.DaemonUnit);
        Assert.Equal(["wg-quick@wg7.service"], rig.TunnelStarts());

        rig.Gateway.SetUnresponsive(true);
        await SystemdUserManager.WaitUntilAsync(() => rig.TunnelStarts().Count >= 2, Bound, "a recovery of the instance's tunnel");

        Assert.All(rig.TunnelStarts(), unit => Assert.Equal("wg-quick@wg7.service", unit));
        Assert.Contains("wg-quick@wg7.service", rig.Log(), StringComparison.Ordinal);
    }

    private async Task AssertCappedAtTwoAsync(DaemonUnitRig rig, string tunnel)
    {
        // One start when the daemon pulled the tunnel in, then one per recovery.
        await SystemdUserManager.WaitUntilAsync(() => rig.TunnelStarts().Count >= 3, Bound, "two recoveries");
        await SystemdUserManager.WaitUntilAsync(() => rig.Log().Contains("[2010]", StringComparison.Ordinal), Bound, "the cap to refuse a third recovery");
        await Task.Delay(Hold);

        output.WriteLine(string.Join('\n', rig.TunnelStarts()));
        Assert.Equal(3, rig.TunnelStarts().Count);

        // Stopped by its own recovery, the daemon exited cleanly: systemd never had to restart it after a failure.
        Assert.Equal("0", rig.Show("NRestarts"));
        Assert.DoesNotContain("[5001]", rig.Log(), StringComparison.Ordinal);
        Assert.All(rig.TunnelStarts(), unit => Assert.Equal(tunnel, unit));
    }
}
