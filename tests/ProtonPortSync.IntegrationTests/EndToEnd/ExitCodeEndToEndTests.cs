using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ProtonPortSync.IntegrationTests.Deploy;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// The exit codes of README's table, from the real process (in a namespace of its own with only loopback, so nothing
/// it might send leaves the test). Codes 3, 4 and 5 are in <see cref="ProbeCommandEndToEndTests"/> (they need the
/// gateway topology), 70 in DaemonHostTests.
/// </summary>
public sealed partial class ExitCodeEndToEndTests : IDisposable
{
    private readonly NetworkNamespace _namespace = NetworkNamespace.Create("exit");
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-exit-").FullName;

    public void Dispose()
    {
        _namespace.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private (int Exit, string Output) Run(params string[] args)
    {
        using var process = DaemonProcess.Start(_namespace, args);
        Assert.True(process.Process.WaitForExit(TimeSpan.FromSeconds(30)), process.Output);
        return (process.Process.ExitCode, process.Output);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void ReadmeTable_ListsExactlyTheCodesTheProgramUses()
    {
        var readme = File.ReadAllText(DeployPaths.InRepository("README.md"));
        var documented = ExitRow().Matches(readme).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int[] used = [ExitCodes.Ok, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.ProbeNoReply, ExitCodes.ProbeRefused, ExitCodes.ProbeResultCode, ExitCodes.ProbeSocket, ExitCodes.Crashed];

        Assert.Equal(used, documented);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("demo", "--help")]
    public void Help_ExitZero(params string[] args)
    {
        var (exit, output) = Run(args);

        Assert.True(exit == 0, output);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("probe", "--no-such-flag")]
    [InlineData("demo", "--client", "transmission")]
    public void Run_NoSuchFlag_Exit2InTwoLines(params string[] args)
    {
        var (exit, output) = Run(args);

        Assert.True(exit == 2, output);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Contains("unknown flag", lines[0], StringComparison.Ordinal);
        Assert.Contains("--help", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptySecretFile_Exit2NamingTheFile()
    {
        var secret = Path.Combine(_directory, "qbt-password");
        File.WriteAllText(secret, string.Empty);

        var (exit, output) = Run("run", "--qbt-password-file", secret, "--gateway", "127.0.0.1", "--bind-address", "127.0.0.1", "--recovery", "none");

        Assert.True(exit == 2, output);
        Assert.Contains($"--qbt-password-file '{secret}'", output, StringComparison.Ordinal);
        Assert.Contains("is empty", output, StringComparison.Ordinal);
        Assert.True(Lines(output).Length <= 2, output);
    }

    [Theory]
    [InlineData("--change-every", "0")]
    [InlineData("--change-every", "-5")]
    [InlineData("--duration", "-1")]
    [InlineData("--duration", "abc")]
    [InlineData("--internal-port-reply", "maybe")]
    public void Demo_BadValue_Exit2NamingTheFlag(string flag, string value)
    {
        var (exit, output) = Run("demo", flag, value);

        Assert.True(exit == 2, output);
        Assert.StartsWith($"proton-port-sync demo: {flag} '{value}': must be", output, StringComparison.Ordinal);
        Assert.DoesNotContain("demo: a ProtonVPN-like", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MetricsAddressInUse_Exit1WithOneSentence()
    {
        using var squatter = _namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var address = squatter.LocalEndPoint!.ToString()!;

        var (exit, output) = Run("run", "--client", "none", "--gateway", "127.0.0.1", "--bind-address", "127.0.0.1", "--recovery", "none", "--metrics-addr", address);

        Assert.True(exit == 1, output);
        Assert.Contains($"Cannot serve metrics on {address}", output, StringComparison.Ordinal);
        Assert.Contains("pick a free port", output, StringComparison.Ordinal);
        Assert.DoesNotContain("..", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\| (?<code>\d+) \| (all|run|probe|doctor|run, doctor) \|", RegexOptions.Multiline)]
    private static partial Regex ExitRow();
}
