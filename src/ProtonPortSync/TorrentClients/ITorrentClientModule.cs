using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// Everything the daemon knows about one kind of torrent client, in its own folder: its flags, how they become
/// validated options, how the adapter is built, and what `doctor` checks. Listed once in
/// <see cref="TorrentClientRegistry"/>.
/// </summary>
internal interface ITorrentClientModule
{
    /// <summary>The value of <c>--client</c> that selects it ("qbittorrent").</summary>
    string Name { get; }

    /// <summary>Its own flags (the shared ones, such as <c>--reannounce</c>, are not listed here).</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>
    /// Reads and validates its flags when <c>--client</c> selects it, recording every error in <paramref name="reader"/>.
    /// The flags of clients not selected are not read: a stray TRANSMISSION_URL does not stop a qBittorrent set-up.
    /// </summary>
    ITorrentClientSetup? Parse(OptionReader reader, SharedClientSettings shared);
}

/// <summary>The flags every client may use, read once by the daemon's parser.</summary>
/// <param name="Reannounce">Ask trackers to reannounce after a port change (<c>--reannounce</c>).</param>
/// <param name="PortFiles">The <c>--port-file</c> values (the legacy <c>--client file</c> writes the first).</param>
internal sealed record SharedClientSettings(bool Reannounce, IReadOnlyList<string> PortFiles);

/// <summary>A selected client with validated options: builds its adapter and its doctor checks.</summary>
internal interface ITorrentClientSetup
{
    /// <summary>The module's name, as in <see cref="ITorrentClient.Name"/>.</summary>
    string Name { get; }

    /// <summary>Where it is, for people ("qBittorrent at http://127.0.0.1:8080/").</summary>
    string Target { get; }

    ITorrentClient Create(TimeProvider time, ILoggerFactory loggers);

    /// <summary>
    /// Its secret files' checks: `run` applies them at start (as warnings), `doctor` before
    /// <see cref="DoctorChecks"/> (a bad file costs no login attempt).
    /// </summary>
    IEnumerable<SecretFileCheck> SecretFileChecks() => [];

    /// <summary>
    /// The rest of `doctor`'s checks, in order, after <see cref="SecretFileChecks"/> (a leak check, which compares the
    /// client's binding with <paramref name="tunnel"/>, last).
    /// </summary>
    IEnumerable<IDoctorCheck> DoctorChecks(ITorrentClient client, DoctorTunnel tunnel);

    /// <summary>True when this client is the port file at <paramref name="path"/> (so no second sink writes it).</summary>
    bool WritesPortFile(string path) => false;
}
