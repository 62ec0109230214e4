using System.Net;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// Leak check: qBittorrent is bound to the tunnel's interface. <c>current_network_interface</c> empty means every
/// interface: when the tunnel drops, qBittorrent goes on talking to peers (and trackers) over the ordinary route,
/// outside the VPN, with the machine's own address. A warning, not a failure: the port sync works either way.
/// </summary>
internal sealed class QBittorrentLeakCheck(Func<CancellationToken, Task<QBittorrentPreferencesSnapshot>> readPreferences, INetworkLinks links, IPAddress? bindAddress, string? interfaceName) : IDoctorCheck
{
    public const string Name = "leak";
    private const string Setting = "in qBittorrent, Options → Advanced → Network interface";

    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        string? bound;
        try
        {
            bound = (await readPreferences(cancellationToken)).CurrentNetworkInterface;
        }
        catch (Exception ex) when (ex is TorrentClientException or SecretFileException)
        {
            return DoctorResult.Warn(Name, "qBittorrent's network interface not checked: its preferences could not be read (see the qbittorrent line)", "fix that first, then run doctor again");
        }

        var tunnel = interfaceName ?? BindAddressCheck.Find(links.GetLinks(), bindAddress, null)?.Name;
        var choose = $"{Setting}: choose {(tunnel is null ? "the WireGuard interface" : tunnel)}";
        if (bound is null)
        {
            return DoctorResult.Warn(Name, "qBittorrent does not report its network interface (current_network_interface)", $"check it by hand: {choose}");
        }

        if (bound.Length == 0)
        {
            return DoctorResult.Warn(Name, "qBittorrent is bound to every interface (\"Any interface\"): if the tunnel drops, its traffic leaves outside the VPN", choose);
        }

        var shown = PeerText.Clean(bound);
        if (tunnel is not null && !string.Equals(bound, tunnel, StringComparison.Ordinal))
        {
            return DoctorResult.Warn(Name, $"qBittorrent is bound to {shown}, not to the tunnel's interface {tunnel}: its traffic may leave outside the VPN", choose);
        }

        return DoctorResult.Ok(Name, $"qBittorrent is bound to {shown}{(tunnel is null ? string.Empty : ", the tunnel's interface")}");
    }

    /// <summary>
    /// One read shared by several checks: the second check gets the first one's answer (or its failure), so the doctor
    /// never logs in twice and a refused password is sent once.
    /// </summary>
    public static Func<CancellationToken, Task<T>> Once<T>(Func<CancellationToken, Task<T>> read)
    {
        Task<T>? first = null;
        return cancellationToken => first ??= read(cancellationToken);
    }
}
