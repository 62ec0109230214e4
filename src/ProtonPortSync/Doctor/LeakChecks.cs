using System.Net;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Doctor;

/// <summary>
/// The leak check for the selected client, when it has one. Built beside the module's own checks because it needs the
/// tunnel (bind address or interface), which a module's checks do not see. A refused login is not sent again here:
/// the adapter's login gate answers "backing off" and the check says it could not look.
/// </summary>
internal static class LeakChecks
{
    public static IEnumerable<IDoctorCheck> For(ITorrentClient client, INetworkLinks links, IPAddress? bindAddress, string? interfaceName) => client switch
    {
        QBittorrentClient qbt => [new QBittorrentLeakCheck(qbt.GetPreferencesAsync, links, bindAddress, interfaceName)],
        TransmissionClient transmission => [new TransmissionLeakCheck(transmission.GetBindingAsync, bindAddress, interfaceName)],
        _ => [],
    };
}
