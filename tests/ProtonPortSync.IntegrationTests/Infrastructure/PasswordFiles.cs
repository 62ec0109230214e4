using System.Security.Cryptography;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>Password files for adapters under test, as an operator would write them (0600, one line).</summary>
internal static class PasswordFiles
{
    /// <summary>Writes <paramref name="content"/> to a new 0600 file in <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, string content)
    {
        var path = Path.Combine(directory, "password-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
