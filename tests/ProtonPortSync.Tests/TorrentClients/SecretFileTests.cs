using ProtonPortSync.Configuration;
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

    [Fact]
    public async Task Read_Fifo_RefusedAtOnceWithoutBlocking()
    {
        var path = Path.Combine(_directory, "fifo");
        MakeFifo(path);
        var file = new SecretFile(path, "qBittorrent password file");

        // A blocking open of a FIFO with no writer would hang here for ever; the bounded read refuses it at once.
        var e = await Task.Run(() => Assert.Throws<SecretFileException>(() => file.Read(out _))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("FIFO", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", "character device")]
    [InlineData("/dev/null", "character device")]
    [InlineData("/tmp", "directory")]
    public void Read_NotARegularFile_RefusedNamingTheKind(string path, string kind)
    {
        var e = Assert.Throws<SecretFileException>(() => new SecretFile(path, "Deluge password file").Read(out _));

        Assert.Contains(kind, e.Message, StringComparison.Ordinal);
        Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargerThan4KiB_RefusedAsTooLarge()
    {
        var path = Path.Combine(_directory, "huge");
        File.WriteAllText(path, new string('x', SecretFile.MaxLength + 1));

        var e = Assert.Throws<SecretFileException>(() => new SecretFile(path, "qBittorrent API key file").Read(out _));

        Assert.Contains("larger than 4096 bytes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Exactly4KiB_Accepted()
    {
        var path = Path.Combine(_directory, "max");
        File.WriteAllText(path, new string('y', SecretFile.MaxLength));

        Assert.Equal(SecretFile.MaxLength, new SecretFile(path, "secret").Read(out _).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void Read_Empty_Refused(string content)
    {
        var path = Path.Combine(_directory, "empty");
        File.WriteAllText(path, content);

        var e = Assert.Throws<SecretFileException>(() => new SecretFile(path, "secret").Read(out _));

        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SymlinkToRegularFile_Accepted()
    {
        var target = Path.Combine(_directory, "target");
        File.WriteAllText(target, "linked\n");
        var link = Path.Combine(_directory, "link");
        File.CreateSymbolicLink(link, target);

        Assert.Equal("linked", new SecretFile(link, "secret").Read(out _));
    }

    [Fact]
    public void Problem_SameCheckAsRead_NullForGoodFileMessageForBad()
    {
        var good = Path.Combine(_directory, "good");
        File.WriteAllText(good, "pw");

        Assert.Null(SecretFile.Problem(good, "secret"));
        Assert.Contains("not a regular file", SecretFile.Problem("/dev/zero", "secret"), StringComparison.Ordinal);
        Assert.Contains("does not exist", SecretFile.Problem(Path.Combine(_directory, "absent"), "secret"), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_SameSecretSameValue_OtherSecretOtherValue()
    {
        Assert.Equal(SecretFile.Fingerprint("pw"), SecretFile.Fingerprint("pw"));
        Assert.NotEqual(SecretFile.Fingerprint("pw"), SecretFile.Fingerprint("pw2"));
        Assert.DoesNotContain("pw", SecretFile.Fingerprint("pw"), StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        Assert.True(mkfifo.WaitForExit(10_000));
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
