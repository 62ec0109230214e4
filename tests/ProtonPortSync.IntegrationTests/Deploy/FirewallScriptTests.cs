using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>deploy/systemd/firewall/open-forwarded-port with real nft in a namespace of the test's own: what it does with a bad or absent port file.</summary>
public sealed class FirewallScriptTests : IDisposable
{
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("fwscript");
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-fwscript-").FullName;

    public FirewallScriptTests()
    {
        _ns.Nft("""
            table inet torrent {
              set port { type inet_service; elements = { 40000 } }
            }
            """);
    }

    public void Dispose()
    {
        _ns.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("abc\n", "not a port number")]
    [InlineData("\n", "not a port number")]
    [InlineData("-5\n", "not a port number")]
    [InlineData("80\n", "outside 1024-65535")]
    [InlineData("70000\n", "outside 1024-65535")]
    public void Run_FileWithoutAValidPort_FailsSayingWhyAndLeavesTheSetAlone(string content, string why)
    {
        var file = Path.Combine(_directory, "port");
        File.WriteAllText(file, content);

        var result = Run(file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(why, result.StdErr, StringComparison.Ordinal);
        Assert.Contains("nothing changed", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("40000", List(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ValidPort_SetHoldsOnlyThatPort()
    {
        var file = Path.Combine(_directory, "port");
        File.WriteAllText(file, "51413\n");

        var result = Run(file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("51413", List(), StringComparison.Ordinal);
        Assert.DoesNotContain("40000", List(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PortFileAbsent_SetEmptiedAndExitZero()
    {
        var result = Run(Path.Combine(_directory, "missing"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("closed", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("40000", List(), StringComparison.Ordinal);
    }

    private ShellResult Run(string portFile)
        => Shell.Run("env", [$"NFT=/usr/sbin/ip netns exec {_ns.Name} /usr/sbin/nft", DeployPaths.InRepository("deploy", "systemd", "firewall", "open-forwarded-port"), portFile]);

    private string List() => _ns.Exec("nft", "list", "set", "inet", "torrent", "port");
}
