namespace ProtonPortSync.Doctor;

/// <summary>A port file (the legacy file client's, or a sink): its directory exists, or the daemon will create it.</summary>
internal sealed class PortFileCheck(string path) : IDoctorCheck
{
    public const string Name = "port file";

    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Task.FromResult(Directory.Exists(directory)
            ? DoctorResult.Ok(Name, $"the port goes to '{path}'{(File.Exists(path) ? $" (now: {File.ReadAllText(path).Trim()})" : string.Empty)}")
            : DoctorResult.Warn(Name, $"the directory of '{path}' does not exist yet; the daemon creates it at the first write", $"make sure the daemon's user may create '{directory}', or point --port-file elsewhere"));
    }
}
