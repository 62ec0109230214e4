using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;
using ProtonPortSync.TorrentClients.Tls;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>qBittorrent's flags, options, adapter and doctor checks (see <see cref="TorrentClientRegistry"/>).</summary>
internal sealed class QBittorrentModule : ITorrentClientModule
{
    public static readonly OptionSpec Url = new("--qbt-url", "QBT_URL", QBittorrentOptions.DefaultBaseUrl.OriginalString, "qBittorrent WebUI URL.");
    public static readonly OptionSpec User = new("--qbt-user", "QBT_USER", QBittorrentOptions.DefaultUsername, "qBittorrent WebUI user name.");
    public static readonly OptionSpec PasswordFile = new("--qbt-password-file", "QBT_PASSWORD_FILE", null, "File holding the qBittorrent WebUI password (e.g. $CREDENTIALS_DIRECTORY/qbt-password).");
    public static readonly OptionSpec ApiKeyFile = new("--qbt-api-key-file", "QBT_API_KEY_FILE", null, "File holding a qBittorrent >= 5.2 API key (qbt_…), used instead of a password.");
    public static readonly OptionSpec CaFile = new("--qbt-ca-file", "QBT_CA_FILE", null, "PEM file with the certificate of qBittorrent's HTTPS server or its CA, trusted instead of the system's store (https:// URLs only).");
    public static readonly OptionSpec AnnouncePort = new("--qbt-announce-port", "QBT_ANNOUNCE_PORT", QBittorrentAnnouncePortText.Reset, "qBittorrent >= 5.1's port reported to trackers (announce_port), heard instead of the listening port when non-zero: reset (set it to 0) or forwarded (set it to the forwarded port).");

    /// <summary>Declared after the flags: static fields initialise in order, and the instance lists them.</summary>
    public static readonly QBittorrentModule Instance = new();

    public string Name => QBittorrentClient.ClientName;

    public IReadOnlyList<OptionSpec> Options { get; } = [Url, User, PasswordFile, ApiKeyFile, CaFile, AnnouncePort];

    public ITorrentClientSetup? Parse(OptionReader reader, SharedClientSettings shared)
    {
        var url = reader.Url(Url, "the WebUI");
        var options = new QBittorrentOptions
        {
            BaseUrl = url ?? QBittorrentOptions.DefaultBaseUrl,
            Username = reader.Raw(User, out _) ?? QBittorrentOptions.DefaultUsername,
            PasswordFile = reader.File(PasswordFile, mustExist: true),
            ApiKeyFile = reader.File(ApiKeyFile, mustExist: true),
            Reannounce = shared.Reannounce,
            CaFile = reader.CaFile(CaFile),
            AnnouncePort = QBittorrentAnnouncePortText.Parse(reader.Choice(AnnouncePort, QBittorrentAnnouncePortText.All)),
        };
        return TorrentClientSetup.Validated(reader, options, url is not null, o => new Setup(o));
    }

    private sealed class Setup(QBittorrentOptions options) : ITorrentClientSetup
    {
        public string Name => QBittorrentClient.ClientName;

        public string Target => $"qBittorrent at {options.BaseUrl}";

        public ITorrentClient Create(TimeProvider time, ILoggerFactory loggers) => new QBittorrentClient(options, time, loggers.CreateLogger<QBittorrentClient>());

        public IEnumerable<SecretFileCheck> SecretFileChecks()
        {
            if ((options.PasswordFile ?? options.ApiKeyFile) is { } secret)
            {
                yield return new SecretFileCheck(secret, options.PasswordFile is null ? "qBittorrent API key file" : "qBittorrent password file");
            }
        }

        public IEnumerable<IDoctorCheck> DoctorChecks(ITorrentClient client, DoctorTunnel tunnel)
        {
            if (options.CaFile is { } caFile)
            {
                yield return new CaFileCheck(caFile, CaFile.Name, TimeProvider.System);
            }

            // Built by Create above; any other client (a test's fake) gets the generic login check.
            if (client is QBittorrentClient qbt)
            {
                yield return new QBittorrentCheck(qbt.GetPreferencesAsync, options.BaseUrl);
                yield return new QBittorrentLeakCheck(qbt.GetPreferencesAsync, tunnel.Links, tunnel.BindAddress, tunnel.Interface);
            }
            else
            {
                yield return new TorrentClientCheck(client, options.BaseUrl, "--qbt-user and the password file", CaFile.Name);
            }
        }
    }
}
