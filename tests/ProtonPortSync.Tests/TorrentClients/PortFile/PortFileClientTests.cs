using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.PortFile;

namespace ProtonPortSync.Tests.TorrentClients.PortFile;

public sealed class PortFileClientTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-portfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetListenPortAsync_NoFile_ZeroSoTheLoopWritesIt()
    {
        var client = new PortFileClient(Path.Combine(_directory, "missing", "port"));

        Assert.Equal(0, await client.GetListenPortAsync(default));
    }

    [Fact]
    public async Task SetListenPortAsync_WritesDecimalAndNewline_CreatesDirectory()
    {
        var path = Path.Combine(_directory, "sub", "forwarded_port");
        var client = new PortFileClient(path);

        await client.SetListenPortAsync(40010, default);

        Assert.Equal("40010\n", await File.ReadAllTextAsync(path));
        Assert.Equal(40010, await client.GetListenPortAsync(default));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("70000")]
    [InlineData("-5")]
    public async Task GetListenPortAsync_EditedIntoGarbage_ZeroMeansDrift(string content)
    {
        var path = Path.Combine(_directory, "port");
        await File.WriteAllTextAsync(path, content);

        Assert.Equal(0, await new PortFileClient(path).GetListenPortAsync(default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(80)]
    [InlineData(65536)]
    public async Task SetListenPortAsync_InvalidPort_RejectedAndNothingWritten(int port)
    {
        var path = Path.Combine(_directory, "port");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new PortFileClient(path).SetListenPortAsync(port, default));

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task SetListenPortAsync_PathIsADirectory_UnreachableWithThePath()
    {
        var client = new PortFileClient(_directory);

        var ex = await Assert.ThrowsAsync<TorrentClientException>(() => client.SetListenPortAsync(40010, default));

        Assert.Equal(TorrentClientFailure.Unreachable, ex.Failure);
        Assert.Contains(_directory, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetListenPortAsync_PlantedSymlinksAtOldTemporaryNames_NeverWrittenThrough()
    {
        var path = Path.Combine(_directory, "forwarded_port");
        var victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "precious");

        // The old predictable names (PATH.PID.tmp) and a link at the port file itself.
        File.CreateSymbolicLink($"{path}.{Environment.ProcessId}.tmp", victim);
        File.CreateSymbolicLink(path, victim);
        var client = new PortFileClient(path);

        await client.SetListenPortAsync(40010, default);

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("40010\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task SetListenPortAsync_Twice_LeavesNoTemporaryFiles()
    {
        var path = Path.Combine(_directory, "forwarded_port");
        var client = new PortFileClient(path);

        await client.SetListenPortAsync(40010, default);
        await client.SetListenPortAsync(40011, default);

        Assert.Equal([path], Directory.GetFiles(_directory));
    }
}
