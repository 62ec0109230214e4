using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Cli;

namespace ProtonPortSync.Tests.Cli;

/// <summary>
/// Invalid values through the real handlers: refused before anything starts (no socket, no gateway emulator), exit 2,
/// the flag and the accepted form named, and `--help` pointed at.
/// </summary>
public sealed class InvalidValueTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-cli-").FullName;
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private int Invoke(params string[] args)
    {
        var handlers = new CommandHandlers(_ => null, _stdout, _stderr, new FakeTimeProvider());
        var root = CommandLineApp.Build(handlers, _ => null);
        return CommandLineApp.InvokeAsync(root, args, _stdout, _stderr, CancellationToken.None).GetAwaiter().GetResult();
    }

    private string[] ErrorLines => _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("--change-every", "0", "from 1 to 86400")]
    [InlineData("--change-every", "-5", "from 1 to 86400")]
    [InlineData("--change-every", "1.5", "whole number")]
    [InlineData("--duration", "-1", "0 to run until Ctrl+C")]
    [InlineData("--duration", "abc", "whole number of seconds")]
    [InlineData("--duration", "86401", "from 1 to 86400")]
    [InlineData("--internal-port-reply", "sideways", "echo, zero, external")]
    [InlineData("--renew-interval", "0", "from 1 to")]
    public void Demo_BadValue_Exit2NamingTheFlagValueAndAcceptedForm(string flag, string value, string accepted)
    {
        var exit = Invoke("demo", flag, value);

        Assert.Equal(2, exit);
        Assert.Equal(2, ErrorLines.Length);
        Assert.StartsWith($"proton-port-sync demo: {flag} '{value}': must be", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains(accepted, ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("proton-port-sync demo --help", ErrorLines[1], StringComparison.Ordinal);
        Assert.Empty(_stdout.ToString());
    }

    [Fact]
    public void Demo_TwoBadValues_BothListedAtOnce()
    {
        var exit = Invoke("demo", "--duration", "-1", "--change-every", "0");

        Assert.Equal(2, exit);
        Assert.Equal("proton-port-sync demo: 2 invalid settings:", ErrorLines[0]);
        Assert.Contains(ErrorLines, l => l.Contains("--duration '-1'", StringComparison.Ordinal));
        Assert.Contains(ErrorLines, l => l.Contains("--change-every '0'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void Run_EmptySecretFile_Exit2BeforeStarting(string content)
    {
        var secret = Path.Combine(_directory, "qbt-password");
        File.WriteAllText(secret, content);

        var exit = Invoke("run", "--qbt-password-file", secret, "--recovery", "none");

        Assert.Equal(2, exit);
        Assert.Equal(2, ErrorLines.Length);
        Assert.StartsWith($"proton-port-sync: --qbt-password-file '{secret}':", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("is empty", ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SecretFileIsADirectory_Exit2NamingIt()
    {
        var exit = Invoke("run", "--client", "deluge", "--deluge-password-file", _directory, "--recovery", "none");

        Assert.Equal(2, exit);
        Assert.Contains($"--deluge-password-file '{_directory}'", ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_BadValue_TwoLinesNamingProbeHelp()
    {
        var exit = Invoke("probe", "--lifetime", "0");

        Assert.Equal(2, exit);
        Assert.Equal(2, ErrorLines.Length);
        Assert.StartsWith("proton-port-sync probe: --lifetime '0': must be", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("proton-port-sync probe --help", ErrorLines[1], StringComparison.Ordinal);
    }
}
