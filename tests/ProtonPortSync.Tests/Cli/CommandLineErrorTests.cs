using ProtonPortSync.Cli;
using ProtonPortSync.Hosting;

namespace ProtonPortSync.Tests.Cli;

/// <summary>Command-line errors (unknown flags, missing values) in the house form: exit 2, two short lines, no help dump.</summary>
public sealed class CommandLineErrorTests : IDisposable
{
    private readonly RecordingHandlers _handlers = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private int Invoke(params string[] args)
    {
        var root = CommandLineApp.Build(_handlers, _ => null);
        return CommandLineApp.InvokeAsync(root, args, _stdout, _stderr, CancellationToken.None).GetAwaiter().GetResult();
    }

    private string[] ErrorLines => _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("run", "--no-such-flag")]
    [InlineData("probe", "--no-such-flag")]
    [InlineData("doctor", "--no-such-flag")]
    [InlineData("demo", "--no-such-flag")]
    public void InvokeAsync_UnknownFlag_Exit2InTwoLinesNamingItAndHelp(params string[] args)
    {
        var exit = Invoke(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(2, ErrorLines.Length);
        Assert.Contains("unknown flag '--no-such-flag'", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("--help", ErrorLines[1], StringComparison.Ordinal);
        Assert.Empty(_stdout.ToString());
        Assert.Equal(0, _handlers.Calls);
    }

    [Theory]
    [InlineData("--client", "transmission")]
    [InlineData("--gateway", "10.9.9.9")]
    [InlineData("--recovery", "none")]
    public void InvokeAsync_DemoWithADaemonOnlyFlag_Exit2NamingIt(string flag, string value)
    {
        var exit = Invoke("demo", flag, value);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("proton-port-sync demo: unknown flag", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains(flag, ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal(0, _handlers.Calls);
    }

    [Fact]
    public void InvokeAsync_ValueMissing_Exit2NamingTheFlagAndItsForm()
    {
        var exit = Invoke("run", "--gateway");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("proton-port-sync run: --gateway needs a value (--gateway VALUE).", ErrorLines[0]);
        Assert.Equal(2, ErrorLines.Length);
    }

    [Fact]
    public void InvokeAsync_ValueGivenToASwitch_Exit2SayingSwitchesTakeNone()
    {
        var exit = Invoke("run", "--reannounce", "yes");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("unexpected argument 'yes'", ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("switch", ErrorLines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--reannounce")]
    [InlineData("--qbt-reannounce")]
    public void InvokeAsync_BareSwitch_ReachesTheParserAsTrue(string flag)
    {
        var exit = Invoke("run", flag);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.True(_handlers.LastParser!.Reader.Bool(OptionSpecs.Reannounce));
    }

    [Fact]
    public void Help_Run_ShowsSwitchesWithoutAValue()
    {
        var exit = Invoke("run", "--help");

        var help = _stdout.ToString();
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("--reannounce", help, StringComparison.Ordinal);
        Assert.DoesNotContain("<reannounce>", help, StringComparison.Ordinal);
        Assert.DoesNotContain("<qbt-reannounce>", help, StringComparison.Ordinal);
        Assert.Contains("--gateway <gateway>", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo", "--renew-interval", "[default: 5]")]
    [InlineData("demo", "--log-level", "[default: warning]")]
    [InlineData("probe", "--log-level", "[default: warning]")]
    [InlineData("run", "--renew-interval", "[default: 45]")]
    [InlineData("run", "--log-level", "[default: information]")]
    public void Help_EachCommand_ShowsTheDefaultThatCommandApplies(string command, string flag, string shown)
    {
        Invoke(command, "--help");

        var line = _stdout.ToString().Split('\n').Single(l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal));

        Assert.Contains(shown, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_Demo_ListsItsOwnAndTheQBittorrentFlagsOnly()
    {
        Invoke("demo", "--help");

        var help = _stdout.ToString();
        foreach (var flag in (string[])["--change-every", "--duration", "--internal-port-reply", "--port-file", "--qbt-url", "--qbt-password-file"])
        {
            Assert.Contains(flag, help, StringComparison.Ordinal);
        }

        foreach (var flag in (string[])["--gateway", "--client", "--transmission-url", "--deluge-url", "--recovery", "--wg-unit", "--bind-address"])
        {
            Assert.DoesNotContain(flag + " ", help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InvokeAsync_DemoIgnoresTheRealSetupsVariables()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["TORRENT_CLIENT"] = "transmission", ["NATPMP_GATEWAY"] = "nonsense", ["DEMO_DURATION"] = "7" };
        var root = CommandLineApp.Build(_handlers, environment.GetValueOrDefault);

        var exit = await CommandLineApp.InvokeAsync(root, ["demo"], _stdout, _stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exit);
        var parser = _handlers.LastParser!;
        Assert.Equal("7", parser.Reader.Raw(DemoOptionSpecs.Duration, out _));
        Assert.False(parser.WasGiven(OptionSpecs.Client));
        Assert.False(parser.WasGiven(OptionSpecs.Gateway));
    }

    /// <summary>Counts the handler calls and keeps the last parser; parses nothing itself.</summary>
    private sealed class RecordingHandlers : ICommandHandlers
    {
        public int Calls { get; private set; }

        public DaemonOptionsParser? LastParser { get; private set; }

        public Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken) => Record(options);

        public Task<int> ProbeAsync(DaemonOptionsParser options, bool json, CancellationToken cancellationToken) => Record(options);

        public Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken) => Record(options);

        public Task<int> DemoAsync(DaemonOptionsParser options, CancellationToken cancellationToken) => Record(options);

        private Task<int> Record(DaemonOptionsParser options)
        {
            Calls++;
            LastParser = options;
            return Task.FromResult(ExitCodes.Ok);
        }
    }
}
