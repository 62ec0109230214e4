using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients.PortFile;

/// <summary>
/// The original's <c>--client file</c>: the first <c>--port-file</c> plays the client (health follows it). New
/// set-ups use <c>--client none</c> (or a real client) and port files as sinks, which never turn health red.
/// </summary>
internal sealed class PortFileModule : ITorrentClientModule
{
    public static readonly PortFileModule Instance = new();

    public string Name => PortFileClient.ClientName;

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public ITorrentClientSetup? Parse(OptionReader reader, SharedClientSettings shared)
    {
        if (shared.PortFiles.Count == 0)
        {
            reader.Error("--client file needs --port-file (PORT_FILE): the file that receives the port.");
            return null;
        }

        return new Setup(shared.PortFiles[0]);
    }

    /// <summary>The port file at <paramref name="path"/> as the client.</summary>
    public static ITorrentClientSetup For(string path) => new Setup(path);

    private sealed class Setup(string path) : ITorrentClientSetup
    {
        public string Name => PortFileClient.ClientName;

        public string Target => $"the port file {path}";

        public ITorrentClient Create(TimeProvider time, ILoggerFactory loggers) => new PortFileClient(path);

        public IEnumerable<IDoctorCheck> DoctorChecks(ITorrentClient client, DoctorTunnel tunnel) => [new PortFileCheck(path)];

        public bool WritesPortFile(string file) => string.Equals(Path.GetFullPath(file), Path.GetFullPath(path), StringComparison.Ordinal);
    }
}
