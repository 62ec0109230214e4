using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.Doctor;

/// <summary>`doctor`'s leak check against a real qbittorrent-nox 4.5.2 bound to every interface, beside the daemon.</summary>
public sealed class DoctorLeakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Doctor_QBittorrentBoundToEveryInterface_WarnsLeakWithTheSettingAndExitsZero()
    {
        using var topology = GatewayTopology.Create(ClientRouting.Policy);
        using var qbt = await QBittorrentInstance.StartAsync(inNamespace: topology.ClientNamespace, networkInterface: string.Empty);

        using var doctor = DaemonProcess.Start(topology.ClientNamespace,
        [
            "doctor", "--gateway", GatewayTopology.GatewayAddress.ToString(), "--bind-address", GatewayTopology.TunnelAddress.ToString(),
            "--request-timeout", "2", "--recovery", "none", "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", qbt.WritePasswordFile(),
        ]);
        Assert.True(doctor.Process.WaitForExit(Bound), $"doctor did not finish within {Bound}:\n{doctor.Output}");
        var text = doctor.Output;
        output.WriteLine(text);

        Assert.True(doctor.Process.ExitCode == 0, text);
        Assert.Contains("ok    qbittorrent", text, StringComparison.Ordinal);
        Assert.Contains("warn  leak         qBittorrent is bound to every interface", text, StringComparison.Ordinal);
        Assert.Contains("fix: in qBittorrent, Options → Advanced → Network interface: choose wg0", text, StringComparison.Ordinal);
    }
}
