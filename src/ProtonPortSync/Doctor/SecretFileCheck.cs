using ProtonPortSync.Configuration;

namespace ProtonPortSync.Doctor;

/// <summary>
/// The password (or API key) file passes the check <c>run</c> applies at start (<see cref="SecretFile.Read"/>: a
/// regular file, at most 4 KiB, not empty) and is not readable by group or others.
/// </summary>
internal sealed class SecretFileCheck(string path, string description) : IDoctorCheck
{
    public const string Name = "secret file";

    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            new SecretFile(path, description).Read(out var tooOpen);
            var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
            return Task.FromResult(tooOpen
                ? DoctorResult.Fail(Name, $"the {description} '{path}' is readable by group or others (mode {Octal(mode)})", $"chmod 600 '{path}' (or pass it as a systemd credential)")
                : DoctorResult.Ok(Name, $"the {description} '{path}' is private (mode {Octal(mode)})"));
        }
        catch (SecretFileException ex)
        {
            return Task.FromResult(DoctorResult.Fail(Name, ex.Message, "make it a regular file (or a symlink to one) with the secret on one line, at most 4 KiB, mode 0600, readable by the daemon's user"));
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
