using System.Globalization;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// qBittorrent ≥ 5.1's <c>announce_port</c>: when non-zero, trackers are told it instead of the listening port, so
/// the forwarded port would never be announced. Set with every port write (in the same call) and, between writes,
/// put right whenever a read finds it differing from what <see cref="QBittorrentOptions.AnnouncePort"/> asks for.
/// </summary>
internal sealed partial class QBittorrentClient : IAnnouncePortKeeper
{
    /// <summary>announce_port as the last read of the preferences saw it; null before 5.1 (the field is absent) or before any read.</summary>
    private int? _lastAnnouncePort;

    public Task KeepAnnouncePortAsync(int port, CancellationToken cancellationToken)
        => SerializedAsync(
            async ct =>
            {
                if (_lastAnnouncePort is { } seen && seen != _options.AnnouncePort.Desired(port))
                {
                    await WriteAnnouncePortAsync(seen, port, ct);
                }

                return true;
            },
            cancellationToken);

    /// <summary>The announce_port field for the setPreferences that sets <paramref name="port"/>, or "" when nothing is to change.</summary>
    private string AnnouncePortField(QBittorrentPreferencesSnapshot previous, int port)
        => previous.AnnouncePort is { } announced && announced != _options.AnnouncePort.Desired(port)
            ? string.Create(CultureInfo.InvariantCulture, $",\"announce_port\":{_options.AnnouncePort.Desired(port)}")
            : string.Empty;

    /// <summary>After a setPreferences that carried <see cref="AnnouncePortField"/>: the read-back must show it, and the change is logged.</summary>
    private void ConfirmAnnouncePort(int previous, QBittorrentPreferencesSnapshot after, int port)
    {
        var desired = _options.AnnouncePort.Desired(port);
        if (after.AnnouncePort != desired)
        {
            throw Failure(
                TorrentClientFailure.ReadBackMismatch,
                $"qBittorrent announces port {after.AnnouncePort} to trackers after being asked for {desired}; set 'Port reported to trackers' to {desired} in its advanced settings.");
        }

        if (_options.AnnouncePort == QBittorrentAnnouncePort.Forwarded)
        {
            Log.AnnouncePortForwarded(_logger, port, previous);
        }
        else
        {
            Log.AnnouncePortReset(_logger, previous, port);
        }
    }

    private async Task WriteAnnouncePortAsync(int previous, int port, CancellationToken cancellationToken)
    {
        const string endpoint = "app/setPreferences";
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"announce_port\":{_options.AnnouncePort.Desired(port)}}}");
        using (await SendAuthorizedAsync(endpoint, () => Form(endpoint, [new("json", json)]), cancellationToken))
        {
            // 200 whatever it did; the read-back tells.
        }

        ConfirmAnnouncePort(previous, await GetPreferencesCoreAsync(cancellationToken), port);
    }
}
