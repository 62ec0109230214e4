using System.Globalization;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Observability;

/// <summary>
/// The client's own view in /healthz's text. A client that stays "firewalled" is what users open issues about (no
/// incoming connection ever arrived), but a quiet swarm looks the same, so it is said, not turned red.
/// </summary>
internal static partial class HealthCheck
{
    private static string FirewalledNote(SyncState s, DateTimeOffset now, HealthSettings settings)
    {
        if (s.ClientConnection != ClientConnectionStatus.Firewalled || s.ClientConnectionSince is not { } since || now - since < settings.FirewalledNoteAfter)
        {
            return string.Empty;
        }

        var minutes = ((long)(now - since).TotalMinutes).ToString(CultureInfo.InvariantCulture);
        return $"; but the client has reported 'firewalled' for {minutes} min: no incoming connection reached it (is it bound to the tunnel interface, and does the VPN server forward this port?)";
    }
}

/// <summary>How long the client may report "firewalled" before /healthz says so.</summary>
internal sealed partial record HealthSettings
{
    public static readonly TimeSpan DefaultFirewalledNoteAfter = TimeSpan.FromMinutes(10);

    public TimeSpan FirewalledNoteAfter { get; init; } = DefaultFirewalledNoteAfter;
}
