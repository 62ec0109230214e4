using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.PortFile;

namespace ProtonPortSync.Sinks;

/// <summary>
/// A port file as a sink: the same file and write path as the legacy <c>--client file</c> (<see cref="PortFileClient"/>:
/// decimal text and a newline, written to an exclusive temporary file and renamed, read back bounded). Level-triggered:
/// read every cycle and rewritten when someone changed or removed it.
/// </summary>
internal sealed class PortFileSink(string path) : IPortSink
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly PortFileClient _file = new(path);

    public string Path => _file.Path;

    public string Name => $"file:{Path}";

    public string Kind => "file";

    public bool Recheck => true;

    public TimeSpan Timeout => DefaultTimeout;

    public async Task ApplyAsync(PortUpdate update, int? previousPort, CancellationToken cancellationToken)
    {
        if (!SyncDecisions.IsListenPortAllowed(update.Port))
        {
            throw new SinkException($"port file {Path}: the gateway granted port {update.Port}, outside {SyncDecisions.MinListenPort}–{SyncDecisions.MaxListenPort}; not written");
        }

        try
        {
            if (await _file.GetListenPortAsync(cancellationToken) != update.Port)
            {
                await _file.SetListenPortAsync(update.Port, cancellationToken);
            }
        }
        catch (TorrentClientException ex)
        {
            throw new SinkException(ex.Message, ex);
        }
    }
}
