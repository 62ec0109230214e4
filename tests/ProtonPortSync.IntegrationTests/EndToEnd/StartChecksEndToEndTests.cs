using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>`run` says at start what `doctor` flags, from the same check, and keeps running (a warning, not a refusal).</summary>
public sealed class StartChecksEndToEndTests : IDisposable
{
    private readonly NetworkNamespace _namespace = NetworkNamespace.Create("start");
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-start-").FullName;

    public void Dispose()
    {
        _namespace.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Run_WorldReadableSecretFile_WarnsAtStartInDoctorsWordsAndKeepsRunning()
    {
        var secret = Path.Combine(_directory, "qbt-password");
        await File.WriteAllTextAsync(secret, "adminadmin\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // Everything on the namespace's loopback: nothing answers, which does not matter for the start-up warning.
        using var daemon = DaemonProcess.Start(_namespace, ["run", "--gateway", "127.0.0.1:9", "--bind-address", "127.0.0.1", "--recovery", "none", "--qbt-url", "http://127.0.0.1:9/", "--qbt-password-file", secret]);

        var line = await daemon.WaitForEventAsync(5003, TimeSpan.FromSeconds(20));

        Assert.Contains($"'{secret}' is readable by group or others (mode 0644)", line, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 '{secret}'", line, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(10)));
    }
}
