using System.Net;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Cli;

namespace ProtonPortSync.Tests.Cli;

public sealed class DaemonOptionsParserTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-options-").FullName;
    private readonly Dictionary<string, string> _flags = [];
    private readonly Dictionary<string, string> _environment = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private DaemonOptionsParser Parser() => new(s => _flags.GetValueOrDefault(s.Name), e => _environment.GetValueOrDefault(e));

    private string Secret()
    {
        var path = Path.Combine(_directory, "qbt-password");
        File.WriteAllText(path, "s3cret\n");
        return path;
    }

    [Fact]
    public void Parse_Defaults_AreTheOriginalDaemonsAndProtonsRequest()
    {
        var parser = Parser();

        var o = parser.Parse();

        Assert.NotNull(o);
        Assert.Empty(parser.Errors);
        Assert.Equal(IPEndPoint.Parse("10.2.0.1:5351"), o.Gateway);
        Assert.Equal(IPAddress.Parse("10.2.0.2"), o.BindAddress);
        Assert.Equal(0, o.InternalPort);
        Assert.Equal(1, o.SuggestedPort);
        Assert.Equal(TimeSpan.FromSeconds(60), o.Lifetime);
        Assert.Equal(TimeSpan.FromSeconds(45), o.RenewInterval);
        Assert.Equal(3, o.MaxFailures);
        Assert.Equal("wireguard-wg0.service", o.WgUnit);
        Assert.Equal(RecoveryKind.Systemd, o.Recovery);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), o.QbtUrl);
        Assert.Null(o.MetricsAddress);
    }

    [Fact]
    public void Parse_OriginalEnvironmentVariables_Honoured()
    {
        _environment["NATPMP_GATEWAY"] = "10.2.0.1";
        _environment["NATPMP_BIND_ADDRESS"] = "10.2.0.3";
        _environment["QBT_URL"] = "http://qbt.lan:8081/";
        _environment["QBT_USER"] = "me";
        _environment["QBT_PASSWORD_FILE"] = Secret();
        _environment["RENEW_INTERVAL"] = "5";
        _environment["MAX_FAILURES"] = "2";
        _environment["WG_UNIT"] = "wg-quick@proton.service";
        _environment["METRICS_ADDR"] = "127.0.0.1:9834";

        var o = Parser().Parse();

        Assert.NotNull(o);
        Assert.Equal(IPAddress.Parse("10.2.0.3"), o.BindAddress);
        Assert.Equal("me", o.QbtUser);
        Assert.Equal(TimeSpan.FromSeconds(5), o.RenewInterval);
        Assert.Equal(2, o.MaxFailures);
        Assert.Equal("wg-quick@proton.service", o.WgUnit);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:9834"), o.MetricsAddress);
    }

    [Fact]
    public void Parse_FlagAndEnvironment_FlagWins()
    {
        _environment["RENEW_INTERVAL"] = "30";
        _flags["--renew-interval"] = "10";

        Assert.Equal(TimeSpan.FromSeconds(10), Parser().Parse()!.RenewInterval);
    }

    [Fact]
    public void Parse_Interface_ReplacesDefaultBindAddress()
    {
        _flags["--interface"] = "wg0";

        var o = Parser().Parse()!;

        Assert.Equal("wg0", o.Interface);
        Assert.Null(o.BindAddress);
    }

    [Fact]
    public void Parse_ManyBadValues_EveryErrorReportedAtOnceNamingFlagOrVariable()
    {
        _flags["--gateway"] = "not-an-ip";
        _flags["--lifetime"] = "60";
        _flags["--renew-interval"] = "60";
        _environment["MAX_FAILURES"] = "0";
        _flags["--qbt-url"] = "ftp://x";
        _flags["--qbt-password-file"] = "/nonexistent/secret";
        _flags["--recovery"] = "command";
        _flags["--metrics-addr"] = "9834";
        _flags["--log-level"] = "loud";
        var parser = Parser();

        Assert.Null(parser.Parse());

        Assert.Equal(8, parser.Errors.Count);
        Assert.Contains(parser.Errors, e => e.StartsWith("--gateway 'not-an-ip'", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.StartsWith("--renew-interval '60'", StringComparison.Ordinal) && e.Contains("1 to 59", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.StartsWith("MAX_FAILURES='0'", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.StartsWith("--qbt-url", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.StartsWith("--qbt-password-file", StringComparison.Ordinal) && e.Contains("CREDENTIALS_DIRECTORY", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.Contains("--recovery-command", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.StartsWith("--metrics-addr", StringComparison.Ordinal));
        Assert.Contains(parser.Errors, e => e.StartsWith("--log-level", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--renew-interval", "1", true)]
    [InlineData("--renew-interval", "59", true)]
    [InlineData("--renew-interval", "0", false)]
    [InlineData("--renew-interval", "4.5", false)]
    [InlineData("--internal-port", "65535", true)]
    [InlineData("--internal-port", "65536", false)]
    [InlineData("--suggested-port", "-1", false)]
    [InlineData("--gateway", "10.2.0.1:5351", true)]
    [InlineData("--gateway", "[::1]:5351", false)]
    [InlineData("--bind-address", "10.2", false)]
    [InlineData("--interface", "this-name-is-too-long", false)]
    [InlineData("--metrics-addr", "[::1]:9834", true)]
    [InlineData("--metrics-addr", "localhost:9834", true)]
    [InlineData("--metrics-addr", "127.0.0.1:0", false)]
    [InlineData("--max-recoveries-per-hour", "0", true)]
    [InlineData("--wg-unit", "a b.service", false)]
    [InlineData("--qbt-reannounce", "yes", true)]
    [InlineData("--qbt-reannounce", "maybe", false)]
    [InlineData("--request-timeout", "60", false)] // not below the 60 s lifetime
    [InlineData("--client", "transmission", true)]
    [InlineData("--client", "Deluge", false)] // needs --deluge-password-file
    [InlineData("--client", "rtorrent", false)]
    [InlineData("--transmission-url", "http://127.0.0.1:9091/transmission/rpc", true)]
    [InlineData("--transmission-url", "http://u:p@127.0.0.1:9091/transmission/rpc", false)]
    [InlineData("--transmission-user", "a:b", false)]
    [InlineData("--deluge-url", "ftp://127.0.0.1:8112/json", false)]
    public void Parse_SingleValue_ValidatedAtItsBounds(string flag, string value, bool valid)
    {
        _flags[flag] = value;

        Assert.Equal(valid, Parser().Parse() is not null);
    }

    [Fact]
    public void Parse_PasswordAndApiKeyFiles_Conflict()
    {
        _flags["--qbt-password-file"] = Secret();
        _flags["--qbt-api-key-file"] = Secret();
        var parser = Parser();

        Assert.Null(parser.Parse());
        Assert.Contains("both given", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileClientWithoutPortFile_Error()
    {
        _flags["--client"] = "file";
        var parser = Parser();

        Assert.Null(parser.Parse());
        Assert.Contains("--port-file", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NatPmpOnly_IgnoresDaemonFlags()
    {
        _flags["--recovery"] = "bogus";
        _flags["--log-level"] = "debug";

        var o = Parser().Parse(natPmpOnly: true);

        Assert.NotNull(o);
        Assert.Equal(LogLevel.Debug, o.LogLevel);
    }

    [Fact]
    public void WasGiven_DefaultVersusFlagVersusEnvironment()
    {
        _environment["QBT_URL"] = "http://127.0.0.1:8080";
        var parser = Parser();

        Assert.True(parser.WasGiven(OptionSpecs.QbtUrl));
        Assert.False(parser.WasGiven(OptionSpecs.RenewInterval));
    }

    [Fact]
    public void Parse_TransmissionFromEnvironment_CarriesUrlUserAndPasswordFile()
    {
        _environment["TORRENT_CLIENT"] = "transmission";
        _environment["TRANSMISSION_URL"] = "http://10.0.0.5:9091/transmission/rpc";
        _environment["TRANSMISSION_USER"] = "tr";
        _environment["TRANSMISSION_PASSWORD_FILE"] = Secret();

        var o = Parser().Parse();

        Assert.NotNull(o);
        Assert.Equal(TorrentClientKind.Transmission, o.Client);
        Assert.Equal(new Uri("http://10.0.0.5:9091/transmission/rpc"), o.TransmissionUrl);
        Assert.Equal("tr", o.TransmissionUser);
        Assert.Equal(Secret(), o.TransmissionPasswordFile);
    }

    [Fact]
    public void Parse_TransmissionPasswordFileMissing_ErrorNamesFlagAndCredentials()
    {
        _flags["--client"] = "transmission";
        _flags["--transmission-password-file"] = "/nonexistent/tr";
        var parser = Parser();

        Assert.Null(parser.Parse());
        var error = Assert.Single(parser.Errors);
        Assert.StartsWith("--transmission-password-file '/nonexistent/tr'", error, StringComparison.Ordinal);
        Assert.Contains("CREDENTIALS_DIRECTORY", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DelugeWithoutPasswordFile_ErrorNamesTheFlag()
    {
        _flags["--client"] = "deluge";
        var parser = Parser();

        Assert.Null(parser.Parse());
        Assert.Contains("--deluge-password-file", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DelugeWithPasswordFile_DefaultsUrl()
    {
        _flags["--client"] = "deluge";
        _flags["--deluge-password-file"] = Secret();

        var o = Parser().Parse();

        Assert.NotNull(o);
        Assert.Equal(TorrentClientKind.Deluge, o.Client);
        Assert.Equal(new Uri("http://127.0.0.1:8112/json"), o.DelugeUrl);
        Assert.Equal(Secret(), o.DelugePasswordFile);
    }

    [Fact]
    public void Parse_BadDelugeUrl_ErrorSaysWhatAUrlLooksLike()
    {
        _environment["DELUGE_URL"] = "localhost:8112";
        var parser = Parser();

        Assert.Null(parser.Parse());
        var error = Assert.Single(parser.Errors);
        Assert.StartsWith("DELUGE_URL='localhost:8112'", error, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8112/json", error, StringComparison.Ordinal);
    }
}
