using System.Net;
using ProtonPortSync.Doctor;
using ProtonPortSync.Hosting;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>doctor's recovery-path checks against a real systemd (its user instance stands in for the system bus).</summary>
[Collection(RealSystemdGroup.Name)]
public sealed class RecoveryPathChecksTests
{
    private static DaemonOptions Options(string unit, RecoveryKind recovery = RecoveryKind.Systemd) => new()
    {
        Gateway = new IPEndPoint(IPAddress.Loopback, DaemonOptions.NatPmpPort),
        Recovery = recovery,
        WgUnit = unit,
    };

    private static async Task<DoctorResult[]> RunAsync(DaemonOptions options, string? bus, int uid)
    {
        var results = new List<DoctorResult>();
        foreach (var check in RecoveryPathChecks.For(options.Recovery, options.WgUnit, bus, uid))
        {
            results.Add(await check.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));
        }

        return [.. results];
    }

    [Fact]
    public async Task For_RealSystemdAndExistingUnit_BusAndUnitOkAndNoPolkitIsAFailureWithTheFix()
    {
        using var manager = await SystemdUserManager.StartAsync();
        manager.WriteUnit("wireguard-wg0.service", DaemonUnitRig.TunnelUnitText(Path.Combine(manager.Root, "starts")));

        var results = await RunAsync(Options("wireguard-wg0.service"), manager.BusAddress, uid: 1000);

        Assert.Equal([DoctorVerdict.Ok, DoctorVerdict.Ok, DoctorVerdict.Fail], results.Select(r => r.Verdict));
        Assert.Contains("polkitd", results[2].Fix, StringComparison.Ordinal);
        Assert.Empty(File.Exists(Path.Combine(manager.Root, "starts")) ? File.ReadAllLines(Path.Combine(manager.Root, "starts")) : []);
    }

    [Fact]
    public async Task For_MissingUnit_FailsNamingWgUnit()
    {
        using var manager = await SystemdUserManager.StartAsync();

        var results = await RunAsync(Options("wg-quick@nope.service"), manager.BusAddress, uid: 0);

        Assert.Equal(DoctorVerdict.Ok, results[0].Verdict);
        Assert.Equal(DoctorVerdict.Fail, results[1].Verdict);
        Assert.Contains("--wg-unit", results[1].Fix, StringComparison.Ordinal);
        Assert.Equal(DoctorVerdict.Ok, results[2].Verdict);
    }

    [Fact]
    public async Task For_NoBus_FailsWithAdvice()
    {
        var results = await RunAsync(Options("wireguard-wg0.service"), "unix:path=/nonexistent/pps-bus", uid: 1000);

        Assert.All(results, r => Assert.Equal(DoctorVerdict.Fail, r.Verdict));
        Assert.Contains("DBUS_SYSTEM_BUS_ADDRESS", results[0].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task For_RecoveryNotSystemd_NoChecks()
        => Assert.Empty(await RunAsync(Options("x.service", RecoveryKind.None), null, 0));
}
