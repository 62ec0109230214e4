using ProtonPortSync.TorrentClients.PortFile;

namespace ProtonPortSync.Tests.TorrentClients.PortFile;

/// <summary>Whatever sits at the port file's path, the read-back is bounded and never blocks, and the write replaces it.</summary>
public sealed class PortFileClientHostileFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-portfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetListenPortAsync_FifoAtThePath_DriftAtOnceAndTheWriteReplacesIt()
    {
        var path = Path.Combine(_directory, "port");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", path))
        {
            await mk.WaitForExitAsync();
        }

        var client = new PortFileClient(path);

        Assert.Equal(0, await client.GetListenPortAsync(default).WaitAsync(TimeSpan.FromSeconds(10)));
        await client.SetListenPortAsync(40100, default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("40100\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task GetListenPortAsync_HugeFile_ReadBoundedAsDrift()
    {
        var path = Path.Combine(_directory, "port");
        await File.WriteAllTextAsync(path, "40100" + new string(' ', 10_000_000));

        Assert.Equal(0, await new PortFileClient(path).GetListenPortAsync(default));
    }

    [Fact]
    public async Task GetListenPortAsync_PortWithinTheBound_Read()
    {
        var path = Path.Combine(_directory, "port");
        await File.WriteAllTextAsync(path, "40100" + new string(' ', PortFileClient.MaxLength - 6) + "\n");

        Assert.Equal(40100, await new PortFileClient(path).GetListenPortAsync(default));
    }
}
