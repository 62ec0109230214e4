using ProtonPortSync.TorrentClients.Deluge;
using ProtonPortSync.TorrentClients.PortFile;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// The one list of torrent clients. Adding a client: a folder under TorrentClients/ with its adapter and an
/// <see cref="ITorrentClientModule"/>, and one line here. The first is the default of <c>--client</c>.
/// </summary>
internal static class TorrentClientRegistry
{
    /// <summary>The value of <c>--client</c> that keeps no torrent client in sync (port files and hooks only).</summary>
    public const string None = "none";

    public static readonly IReadOnlyList<ITorrentClientModule> All =
    [
        QBittorrentModule.Instance,
        TransmissionModule.Instance,
        DelugeModule.Instance,
        PortFileModule.Instance,
    ];

    /// <summary>Every accepted value of <c>--client</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name), None];
}
