using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;
using ProtonPortSync.TorrentClients.Tls;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>Deluge's flags, options, adapter and doctor checks (see <see cref="TorrentClientRegistry"/>).</summary>
internal sealed class DelugeModule : ITorrentClientModule
{
    public static readonly OptionSpec Url = new("--deluge-url", "DELUGE_URL", DelugeOptions.DefaultUrl.OriginalString, "deluge-web JSON-RPC URL.");
    public static readonly OptionSpec PasswordFile = new("--deluge-password-file", "DELUGE_PASSWORD_FILE", null, "File holding the deluge-web password (required with --client deluge).");
    public static readonly OptionSpec CaFile = new("--deluge-ca-file", "DELUGE_CA_FILE", null, "PEM file with the certificate of deluge-web's HTTPS server or its CA, trusted instead of the system's store (https:// URLs only).");

    /// <summary>Declared after the flags: static fields initialise in order, and the instance lists them.</summary>
    public static readonly DelugeModule Instance = new();

    public string Name => DelugeClient.ClientName;

    public IReadOnlyList<OptionSpec> Options { get; } = [Url, PasswordFile, CaFile];

    public ITorrentClientSetup? Parse(OptionReader reader, SharedClientSettings shared)
    {
        var url = reader.Url(Url, "deluge-web's JSON-RPC endpoint");
        var options = new DelugeOptions
        {
            Url = url ?? DelugeOptions.DefaultUrl,
            PasswordFile = reader.File(PasswordFile, mustExist: true) ?? string.Empty,
            Reannounce = shared.Reannounce,
            CaFile = reader.CaFile(CaFile),
        };
        return TorrentClientSetup.Validated(reader, options, url is not null, o => new Setup(o));
    }

    private sealed class Setup(DelugeOptions options) : ITorrentClientSetup
    {
        public string Name => DelugeClient.ClientName;

        public string Target => $"Deluge at {options.Url}";

        public ITorrentClient Create(TimeProvider time, ILoggerFactory loggers) => new DelugeClient(options, time, loggers.CreateLogger<DelugeClient>());

        public IEnumerable<SecretFileCheck> SecretFileChecks() => [new SecretFileCheck(options.PasswordFile, "Deluge password file")];

        public IEnumerable<IDoctorCheck> DoctorChecks(ITorrentClient client, DoctorTunnel tunnel)
        {
            if (options.CaFile is { } caFile)
            {
                yield return new CaFileCheck(caFile, CaFile.Name, TimeProvider.System);
            }

            yield return new TorrentClientCheck(client, options.Url, "--deluge-password-file", CaFile.Name);
        }
    }
}
