using System.Globalization;

namespace ProtonPortSync.Sinks;

/// <summary>
/// Writes the port as decimal text and a newline (gluetun's forwarded_port format), atomically: a temporary file in
/// the same directory, then a rename, so a reader never sees half a number. Level-triggered: read every cycle and
/// rewritten when someone changed or removed it.
/// </summary>
internal sealed class PortFileSink(string path) : IPortSink
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public string Path { get; } = path;

    public string Name => $"file:{Path}";

    public string Kind => "file";

    public bool Recheck => true;

    public TimeSpan Timeout => DefaultTimeout;

    public async Task ApplyAsync(PortUpdate update, int? previousPort, CancellationToken cancellationToken)
    {
        var text = update.Port.ToString(CultureInfo.InvariantCulture) + "\n";
        try
        {
            if (File.Exists(Path) && await File.ReadAllTextAsync(Path, cancellationToken) == text)
            {
                return;
            }

            // A directory under /run may be gone after a reboot of its owner; the legacy port file client made it too.
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            var temporary = $"{Path}.{Environment.ProcessId}.tmp";
            try
            {
                await File.WriteAllTextAsync(temporary, text, cancellationToken);
                File.Move(temporary, Path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            if (await File.ReadAllTextAsync(Path, cancellationToken) != text)
            {
                throw new SinkException($"port file {Path} does not hold {update.Port} after writing it");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SinkException($"cannot write port file {Path}: {ex.Message}", ex);
        }
    }
}
