using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients;

public sealed class SecretFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-secret-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("secret\n", "secret")]
    [InlineData("secret\r\n", "secret")]
    [InlineData("secret\n\n", "secret\n")]
    [InlineData("secret", "secret")]
    [InlineData(" secret ", " secret ")]
    public void TrimOneNewline_Text_RemovesExactlyOneTrailingNewline(string text, string expected)
        => Assert.Equal(expected, SecretFile.TrimOneNewline(text));

    [Fact]
    public void Read_MissingFile_ThrowsNamingFileAndDescriptionOnly()
    {
        var path = Path.Combine(_directory, "absent");
        var file = new SecretFile(path, "Deluge password file");

        var e = Assert.Throws<SecretFileException>(() => file.Read(out _));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("Deluge password file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OpenFile_ReportsTooOpenOnlyOnce()
    {
        var path = Path.Combine(_directory, "open");
        File.WriteAllText(path, "pw\n");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var file = new SecretFile(path, "Transmission password file");

        Assert.Equal("pw", file.Read(out var first));
        Assert.Equal("pw", file.Read(out var second));

        Assert.True(first);
        Assert.False(second);
    }
}
