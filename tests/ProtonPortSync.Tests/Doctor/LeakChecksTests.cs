using System.Net;
using ProtonPortSync.Doctor;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.Doctor;

/// <summary>The doctor's leak checks: the client bound to the tunnel, or a warning that names the setting to change.</summary>
public sealed class LeakChecksTests
{
    private static readonly IPAddress Tunnel = IPAddress.Parse("10.2.0.2");
    private static readonly FixedLinks Links = new(
        new NetworkLink("lo", true, [IPAddress.Loopback]),
        new NetworkLink("eth0", true, [IPAddress.Parse("192.168.1.20")]),
        new NetworkLink("wg0", true, [Tunnel]));

    private static Task<DoctorResult> QBittorrent(string? boundTo, string? interfaceName = null)
        => new QBittorrentLeakCheck(_ => Task.FromResult(new QBittorrentPreferencesSnapshot(6881, false, false, null, boundTo)), Links, Tunnel, interfaceName).RunAsync(default);

    [Fact]
    public async Task QBittorrentLeakCheck_EveryInterface_WarnsWithTheSettingAndTheTunnel()
    {
        var r = await QBittorrent(string.Empty);

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("every interface", r.Detail, StringComparison.Ordinal);
        Assert.Contains("outside the VPN", r.Detail, StringComparison.Ordinal);
        Assert.Equal("in qBittorrent, Options → Advanced → Network interface: choose wg0", r.Fix);
    }

    [Fact]
    public async Task QBittorrentLeakCheck_BoundToTunnel_Ok()
    {
        var r = await QBittorrent("wg0");

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Contains("bound to wg0", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QBittorrentLeakCheck_BoundToAnotherInterface_WarnsNamingBoth()
    {
        var r = await QBittorrent("eth0");

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("bound to eth0, not to the tunnel's interface wg0", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QBittorrentLeakCheck_InterfaceFlagGiven_ComparesWithIt()
    {
        var r = await QBittorrent("wg0", interfaceName: "proton0");

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("proton0", r.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QBittorrentLeakCheck_HostileInterfaceName_ShownEscaped()
    {
        var r = await QBittorrent("eth0\n\u001b[2Jok    leak");

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.DoesNotContain('\n', r.Detail);
        Assert.DoesNotContain('\u001b', r.Detail);
    }

    [Fact]
    public async Task QBittorrentLeakCheck_FieldAbsent_WarnsCheckByHand()
    {
        var r = await QBittorrent(null);

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.StartsWith("check it by hand", r.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QBittorrentLeakCheck_SharedReadFailed_OneReadAndWarnsNotChecked()
    {
        var reads = 0;
        var read = QBittorrentLeakCheck.Once<QBittorrentPreferencesSnapshot>(_ =>
        {
            reads++;
            return Task.FromException<QBittorrentPreferencesSnapshot>(new TorrentClientException("qbittorrent", TorrentClientFailure.BadCredentials, "refused"));
        });

        var first = await new QBittorrentCheck(read, new Uri("http://127.0.0.1:8080")).RunAsync(default);
        var leak = await new QBittorrentLeakCheck(read, Links, Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, first.Verdict);
        Assert.Equal(DoctorVerdict.Warn, leak.Verdict);
        Assert.Contains("not checked", leak.Detail, StringComparison.Ordinal);
        Assert.Equal(1, reads);
    }

    private static Task<DoctorResult> Transmission(TransmissionBinding binding, string? interfaceName = null)
        => new TransmissionLeakCheck(_ => Task.FromResult(binding), Tunnel, interfaceName).RunAsync(default);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("not an address")]
    public async Task TransmissionLeakCheck_EveryAddress_WarnsWithSettingsFileAndTunnelAddress(string address)
    {
        var r = await Transmission(new TransmissionBinding(address, "/var/lib/transmission/settings.json", "/var/lib/transmission/settings.json"));

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("every address", r.Detail, StringComparison.Ordinal);
        Assert.Contains("\"bind-address-ipv4\": \"10.2.0.2\" in /var/lib/transmission/settings.json", r.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransmissionLeakCheck_BoundToTunnel_Ok()
    {
        var r = await Transmission(new TransmissionBinding("10.2.0.2", "settings.json", "settings.json"));

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
    }

    [Fact]
    public async Task TransmissionLeakCheck_BoundElsewhere_WarnsNamingBoth()
    {
        var r = await Transmission(new TransmissionBinding("192.168.1.20", "settings.json", "settings.json"));

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("bound to 192.168.1.20, not to the tunnel's address 10.2.0.2", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransmissionLeakCheck_Unknown_WarnsWithTheReason()
    {
        var r = await Transmission(new TransmissionBinding(null, "/etc/transmission/settings.json could not be read (denied)", "/etc/transmission/settings.json"));

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("could not be read", r.Detail, StringComparison.Ordinal);
    }
}
