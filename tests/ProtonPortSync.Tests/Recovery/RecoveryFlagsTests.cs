using ProtonPortSync.Hosting;

namespace ProtonPortSync.Tests.Recovery;

/// <summary>--recovery-timeout and --state-directory (STATE_DIRECTORY, as systemd's StateDirectory= sets it).</summary>
public sealed class RecoveryFlagsTests
{
    private readonly Dictionary<string, string> _flags = [];
    private readonly Dictionary<string, string> _environment = [];

    private DaemonOptionsParser Parser() => new(s => _flags.TryGetValue(s.Name, out var v) ? [v] : null, e => _environment.GetValueOrDefault(e));

    [Fact]
    public void Parse_Defaults_TwentySecondsAndNoStateDirectory()
    {
        var o = Parser().Parse();

        Assert.NotNull(o);
        Assert.Equal(TimeSpan.FromSeconds(20), o.RecoveryTimeout);
        Assert.Null(o.StateDirectory);
    }

    [Fact]
    public void Parse_SystemdStateDirectoryVariable_TakesTheFirstOfSeveral()
    {
        _environment["STATE_DIRECTORY"] = "/var/lib/proton-port-sync:/var/lib/other";

        Assert.Equal("/var/lib/proton-port-sync", Parser().Parse()!.StateDirectory);
    }

    [Fact]
    public void Parse_RelativeStateDirectory_ErrorNamesTheFlag()
    {
        _flags["--state-directory"] = "state";
        var parser = Parser();

        parser.Parse();

        Assert.Contains(parser.Errors, e => e.Contains("--state-directory", StringComparison.Ordinal) && e.Contains("absolute", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("601")]
    [InlineData("soon")]
    public void Parse_BadRecoveryTimeout_ErrorNamesTheFlag(string value)
    {
        _flags["--recovery-timeout"] = value;
        var parser = Parser();

        parser.Parse();

        Assert.Contains(parser.Errors, e => e.Contains("--recovery-timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RecoveryTimeoutFromEnvironment_IsUsed()
    {
        _environment["RECOVERY_TIMEOUT"] = "7";

        Assert.Equal(TimeSpan.FromSeconds(7), Parser().Parse()!.RecoveryTimeout);
    }
}
