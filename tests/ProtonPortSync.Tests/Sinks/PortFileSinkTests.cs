using ProtonPortSync.Sinks;

namespace ProtonPortSync.Tests.Sinks;

public sealed class PortFileSinkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-sink-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ApplyAsync_WritesThePortAndANewlineWithoutLeavingATemporaryFile()
    {
        var path = Path.Combine(_directory, "forwarded_port");

        await new PortFileSink(path).ApplyAsync(new PortUpdate(40000, null), null, default);

        Assert.Equal("40000\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task ApplyAsync_FileAlreadyRight_NotRewritten()
    {
        var path = Path.Combine(_directory, "forwarded_port");
        await File.WriteAllTextAsync(path, "40000\n");
        var before = File.GetLastWriteTimeUtc(path).AddSeconds(-10);
        File.SetLastWriteTimeUtc(path, before);

        await new PortFileSink(path).ApplyAsync(new PortUpdate(40000, null), null, default);

        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task ApplyAsync_DirectoryRemoved_CreatedAgain()
    {
        var path = Path.Combine(_directory, "gone", "port");

        await new PortFileSink(path).ApplyAsync(new PortUpdate(40001, null), null, default);

        Assert.Equal("40001\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task ApplyAsync_PathIsADirectory_SinkExceptionNamesTheFile()
    {
        var path = Path.Combine(_directory, "dir");
        Directory.CreateDirectory(path);

        var ex = await Assert.ThrowsAsync<SinkException>(() => new PortFileSink(path).ApplyAsync(new PortUpdate(40000, null), null, default));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_CarriesThePathForTheSinkLabel()
        => Assert.Equal("file:/run/pps/port", new PortFileSink("/run/pps/port").Name);
}
