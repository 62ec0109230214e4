using System.Net;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Hosting;
using ProtonPortSync.Recovery;
using ProtonPortSync.TorrentClients.Deluge;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.Hosting;

public sealed class DaemonOptionsParserTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-options-").FullName;
    private readonly Dictionary<string, string> _flags = [];
    private readonly Dictionary<string, string> _environment = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private DaemonOptionsParser Parser() => new(s => _flags.TryGetValue(s.Name, out var v) ? [v] : null, e => _environment.GetValueOrDefault(e));

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
        Assert.Equal("qBittorrent at http://127.0.0.1:8080/", o.Client?.Target);
        Assert.Empty(o.PortFiles);
        Assert.Empty(o.OnChangeCommands);
        Assert.Equal(TimeSpan.FromSeconds(30), o.HookTimeout);
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
        Assert.Equal("qBittorrent at http://qbt.lan:8081/", o.Client?.Target);
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
    [InlineData("--reannounce", "yes", true)]
    [InlineData("--reannounce", "maybe", false)]
    [InlineData("--hook-timeout", "0", false)]
    [InlineData("--hook-timeout", "3600", true)]
    [InlineData("--client", "none", true)]
    [InlineData("--request-timeout", "60", false)] // not below the 60 s lifetime
    [InlineData("--client", "transmission", true)]
    [InlineData("--client", "Deluge", false)] // needs --deluge-password-file
    [InlineData("--client", "rtorrent", false)]
    public void Parse_SingleValue_ValidatedAtItsBounds(string flag, string value, bool valid)
    {
        _flags[flag] = value;

        Assert.Equal(valid, Parser().Parse() is not null);
    }

    [Theory]
    [InlineData("transmission", "--transmission-url", "http://127.0.0.1:9091/transmission/rpc", true)]
    [InlineData("transmission", "--transmission-url", "http://u:p@127.0.0.1:9091/transmission/rpc", false)]
    [InlineData("transmission", "--transmission-user", "a:b", false)]
    [InlineData("qbittorrent", "--qbt-user", "", false)]
    [InlineData("qbittorrent", "--qbt-url", "http://127.0.0.1:8080/#x", false)]
    [InlineData("deluge", "--deluge-url", "ftp://127.0.0.1:8112/json", false)]
    [InlineData("qbittorrent", "--qbt-announce-port", "forwarded", true)]
    [InlineData("qbittorrent", "--qbt-announce-port", "reset", true)]
    [InlineData("qbittorrent", "--qbt-announce-port", "6881", false)]
    [InlineData("transmission", "--transmission-port-test", "true", true)]
    [InlineData("transmission", "--transmission-port-test", "sometimes", false)]
    public void Parse_ClientFlag_ValidatedByTheSelectedClientsOptions(string client, string flag, string value, bool valid)
    {
        _flags["--client"] = client;
        if (client == "deluge")
        {
            _flags["--deluge-password-file"] = Secret();
        }

        _flags[flag] = value;

        Assert.Equal(valid, Parser().Parse() is not null);
    }

    [Fact]
    public void Parse_FlagsOfAnotherClient_NotRead()
    {
        _environment["TRANSMISSION_URL"] = "not a url";

        Assert.NotNull(Parser().Parse());
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

        Assert.True(parser.WasGiven(QBittorrentModule.Url));
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
        Assert.Equal("transmission", o.Client?.Name);
        Assert.Equal("Transmission at http://10.0.0.5:9091/transmission/rpc", o.Client?.Target);
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
        Assert.Equal("deluge", o.Client?.Name);
        Assert.Equal("Deluge at http://127.0.0.1:8112/json", o.Client?.Target);
    }

    [Fact]
    public void Parse_BadDelugeUrl_ErrorSaysWhatAUrlLooksLike()
    {
        _flags["--client"] = "deluge";
        _flags["--deluge-password-file"] = Secret();
        _environment["DELUGE_URL"] = "localhost:8112";
        var parser = Parser();

        Assert.Null(parser.Parse());
        var error = Assert.Single(parser.Errors);
        Assert.StartsWith("DELUGE_URL='localhost:8112'", error, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8112/json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PortFilesAndCommandsFromEnvironment_OnePerLine()
    {
        _environment["TORRENT_CLIENT"] = "none";
        _environment["PORT_FILE"] = "/run/a/port\r\n\n/run/b port:2\n";
        _environment["ON_CHANGE_COMMAND"] = "nft add element inet fw ports { $1 }\ncurl -fsS \"https://ntfy.example/x?p=$1\"";

        var o = Parser().Parse();

        Assert.NotNull(o);
        Assert.Null(o.Client);
        Assert.Equal(["/run/a/port", "/run/b port:2"], o.PortFiles);
        Assert.Equal(["nft add element inet fw ports { $1 }", "curl -fsS \"https://ntfy.example/x?p=$1\""], o.OnChangeCommands);
    }

    [Fact]
    public void Parse_RepeatedPortFileFlags_AllKept()
    {
        var parser = new DaemonOptionsParser(s => s.Name == "--port-file" ? ["/run/a", "/run/b"] : null, _ => null);

        Assert.Equal(["/run/a", "/run/b"], parser.Parse()!.PortFiles);
    }

    [Fact]
    public void Parse_LegacyFileClient_FirstPortFileIsTheClientTheRestAreSinks()
    {
        var parser = new DaemonOptionsParser(s => s.Name switch { "--client" => ["file"], "--port-file" => ["/run/a", "/run/b"], _ => null }, _ => null);

        var o = parser.Parse();

        Assert.NotNull(o);
        Assert.Equal("file", o.Client?.Name);
        Assert.Equal("the port file /run/a", o.Client?.Target);
        Assert.Equal(["/run/b"], o.PortFiles);
    }

    [Theory]
    [InlineData("/run/dir/")]
    [InlineData("/run/a\tb")]
    public void Parse_BadPortFile_ErrorNamesIt(string path)
    {
        _flags["--port-file"] = path;
        var parser = Parser();

        Assert.Null(parser.Parse());
        Assert.StartsWith("--port-file", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SamePortFileTwice_Error()
    {
        var parser = new DaemonOptionsParser(s => s.Name == "--port-file" ? ["/run/a", "/run/../run/a"] : null, _ => null);

        Assert.Null(parser.Parse());
        Assert.Contains("given twice", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REANNOUNCE")]
    [InlineData("QBT_REANNOUNCE")]
    public void Parse_ReannounceFromNewOrOldVariable_Accepted(string variable)
    {
        _environment[variable] = "maybe";
        var parser = Parser();

        Assert.Null(parser.Parse());
        Assert.StartsWith($"{variable}='MAYBE'", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WgConfigThatDoesNotExist_AcceptedUnreadSoRunStartsWithDoctorsArguments()
    {
        var path = Path.Combine(_directory, "wg0.conf");
        _flags["--wg-config"] = path;
        var parser = Parser();

        var o = parser.Parse();

        Assert.NotNull(o);
        Assert.Empty(parser.Errors);
        Assert.Equal(path, o.WireGuardConfig);
    }

    [Fact]
    public void Parse_WgConfigFromEnvironment_Carried()
    {
        _environment["WG_CONFIG"] = "/etc/wireguard/wg0.conf";

        Assert.Equal("/etc/wireguard/wg0.conf", Parser().Parse()?.WireGuardConfig);
    }

    [Theory]
    [InlineData("/etc/wireguard/")]
    [InlineData("/etc/wg\n0.conf")]
    public void Parse_BadWgConfigPath_ErrorNamesTheFlagAndAnExample(string path)
    {
        _flags["--wg-config"] = path;
        var parser = Parser();

        Assert.Null(parser.Parse());
        var error = Assert.Single(parser.Errors);
        Assert.StartsWith("--wg-config", error, StringComparison.Ordinal);
        Assert.Contains("/etc/wireguard/wg0.conf", error, StringComparison.Ordinal);
    }
}
