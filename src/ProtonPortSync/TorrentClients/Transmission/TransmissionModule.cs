using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;
using ProtonPortSync.TorrentClients.Tls;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>Transmission's flags, options, adapter and doctor checks (see <see cref="TorrentClientRegistry"/>).</summary>
internal sealed class TransmissionModule : ITorrentClientModule
{
    public static readonly OptionSpec Url = new("--transmission-url", "TRANSMISSION_URL", TransmissionOptions.DefaultRpcUrl.OriginalString, "Transmission RPC URL (rpc-url + 'rpc').");
    public static readonly OptionSpec User = new("--transmission-user", "TRANSMISSION_USER", null, "Transmission rpc-username.");
    public static readonly OptionSpec PasswordFile = new("--transmission-password-file", "TRANSMISSION_PASSWORD_FILE", null, "File holding Transmission's rpc-password (e.g. $CREDENTIALS_DIRECTORY/transmission-password).");
    public static readonly OptionSpec CaFile = new("--transmission-ca-file", "TRANSMISSION_CA_FILE", null, "PEM file with the certificate of Transmission's HTTPS server or its CA, trusted instead of the system's store (https:// URLs only).");
    public static readonly OptionSpec PortTest = new("--transmission-port-test", "TRANSMISSION_PORT_TEST", "false", "Ask Transmission's port-test whether peers reach the port, after each change and every 15 minutes, exported as the client's connection status. Off by default: Transmission's outside service learns the port and the public address.", OptionShape.Flag);

    /// <summary>Declared after the flags: static fields initialise in order, and the instance lists them.</summary>
    public static readonly TransmissionModule Instance = new();

    public string Name => TransmissionClient.ClientName;

    public IReadOnlyList<OptionSpec> Options { get; } = [Url, User, PasswordFile, CaFile, PortTest];

    public ITorrentClientSetup? Parse(OptionReader reader, SharedClientSettings shared)
    {
        var url = reader.Url(Url, "Transmission's RPC endpoint");
        var options = new TransmissionOptions
        {
            RpcUrl = url ?? TransmissionOptions.DefaultRpcUrl,
            Username = reader.Raw(User, out _) ?? string.Empty,
            PasswordFile = reader.File(PasswordFile, mustExist: true),
            Reannounce = shared.Reannounce,
            CaFile = reader.CaFile(CaFile),
            PortTest = reader.Bool(PortTest),
        };
        return TorrentClientSetup.Validated(reader, options, url is not null, o => new Setup(o));
    }

    private sealed class Setup(TransmissionOptions options) : ITorrentClientSetup
    {
        public string Name => TransmissionClient.ClientName;

        public string Target => $"Transmission at {options.RpcUrl}";

        public ITorrentClient Create(TimeProvider time, ILoggerFactory loggers) => new TransmissionClient(options, time, loggers.CreateLogger<TransmissionClient>());

        public IEnumerable<SecretFileCheck> SecretFileChecks()
        {
            if (options.PasswordFile is { } secret)
            {
                yield return new SecretFileCheck(secret, "Transmission password file");
            }
        }

        public IEnumerable<IDoctorCheck> DoctorChecks(ITorrentClient client, DoctorTunnel tunnel)
        {
            if (options.CaFile is { } caFile)
            {
                yield return new CaFileCheck(caFile, CaFile.Name, TimeProvider.System);
            }

            yield return new TorrentClientCheck(client, options.RpcUrl, "--transmission-user and --transmission-password-file", CaFile.Name);
            if (client is TransmissionClient transmission)
            {
                yield return new TransmissionLeakCheck(transmission.GetBindingAsync, tunnel.BindAddress, tunnel.Interface);
            }
        }
    }
}
