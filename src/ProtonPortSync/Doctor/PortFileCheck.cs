namespace ProtonPortSync.Doctor;

/// <summary>With --client file: the port file's directory exists, so the daemon can write the port there.</summary>
internal sealed class PortFileCheck(string path) : IDoctorCheck
{
    public const string Name = "port file";

    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Task.FromResult(Directory.Exists(directory)
            ? DoctorResult.Ok(Name, $"the port goes to '{path}'{(File.Exists(path) ? $" (now: {File.ReadAllText(path).Trim()})" : string.Empty)}")
            : DoctorResult.Fail(Name, $"the directory of '{path}' does not exist", $"create '{directory}' writable by the daemon's user, or point --port-file elsewhere"));
    }
}
