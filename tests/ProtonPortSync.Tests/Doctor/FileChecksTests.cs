using ProtonPortSync.Doctor;

namespace ProtonPortSync.Tests.Doctor;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileChecksTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pps-doctor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SecretFileCheck_Mode0600_Ok()
    {
        var path = Write("secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var r = await new SecretFileCheck(path, "qBittorrent password file").RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Contains("0600", r.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", r.Detail.Replace(_dir, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretFileCheck_WorldReadable_FailWithChmod()
    {
        var path = Write("secret", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var r = await new SecretFileCheck(path, "qBittorrent password file").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("0644", r.Detail, StringComparison.Ordinal);
        Assert.StartsWith("chmod 600", r.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretFileCheck_Missing_FailNamesPath()
    {
        var path = Path.Combine(_dir, "nope");

        var r = await new SecretFileCheck(path, "qBittorrent password file").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains(path, r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretFileCheck_Empty_Fail()
    {
        var r = await new SecretFileCheck(Write("\n", UnixFileMode.UserRead | UnixFileMode.UserWrite), "qBittorrent password file").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("empty", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortFileCheck_DirectoryExists_OkShowsCurrentPort()
    {
        var r = await new PortFileCheck(Write("40000\n", UnixFileMode.UserRead | UnixFileMode.UserWrite)).RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Contains("now: 40000", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortFileCheck_DirectoryMissing_WarnThatItWillBeCreated()
    {
        var r = await new PortFileCheck(Path.Combine(_dir, "missing", "port")).RunAsync(default);

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("creates it", r.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/bin/setsid", true)]
    [InlineData(null, false)]
    public async Task HookCheck_SetsidFoundOrNot_OkOrWarn(string? setsid, bool ok)
    {
        var r = await new HookCheck(2, setsid).RunAsync(default);

        Assert.Equal(ok ? DoctorVerdict.Ok : DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("2 hook(s)", r.Detail, StringComparison.Ordinal);
    }

    private string Write(string content, UnixFileMode mode)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
