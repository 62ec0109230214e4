using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Hosting;

/// <summary>The consumers of the port: one client (or none), port files and hooks.</summary>
internal sealed partial class DaemonOptionsParser
{
    /// <summary>The longest hook command accepted (it ends up in one argv entry of /bin/sh).</summary>
    public const int MaxCommandLength = 4096;

    private (ITorrentClientSetup? Client, IReadOnlyList<string> PortFiles) ParseSinks()
    {
        var name = _reader.Choice(OptionSpecs.Client, TorrentClientRegistry.Names);
        var files = ParsePortFiles();
        var shared = new SharedClientSettings(_reader.Bool(OptionSpecs.Reannounce), files);
        var module = TorrentClientRegistry.All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
        var client = module?.Parse(_reader, shared);
        return (client, [.. files.Where(f => client?.WritesPortFile(f) != true)]);
    }

    private List<string> ParsePortFiles()
    {
        var files = new List<string>();
        foreach (var path in _reader.RawList(OptionSpecs.PortFile))
        {
            if (path.Length == 0 || path.Any(char.IsControl) || path.EndsWith('/') || Path.GetFileName(path).Length == 0)
            {
                _reader.Error(OptionSpecs.PortFile, path, "must be the path of a file (not a directory), without control characters");
            }
            else if (files.Any(f => string.Equals(Path.GetFullPath(f), Path.GetFullPath(path), StringComparison.Ordinal)))
            {
                _reader.Error(OptionSpecs.PortFile, path, "is given twice");
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    private List<string> ParseCommands()
    {
        var commands = new List<string>();
        foreach (var command in _reader.RawList(OptionSpecs.OnChangeCommand))
        {
            if (string.IsNullOrWhiteSpace(command) || command.Length > MaxCommandLength || command.Contains('\0', StringComparison.Ordinal))
            {
                _reader.Error(OptionSpecs.OnChangeCommand, command, $"must be a shell command of 1 to {MaxCommandLength} characters");
            }
            else
            {
                commands.Add(command);
            }
        }

        return commands;
    }
}
