using ProtonPortSync.Doctor;
using ProtonPortSync.Hosting;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Tls;

namespace ProtonPortSync.Tests.TorrentClients.Tls;

/// <summary>The CA file flags through the daemon's parser (exit 2 at start on any error) and doctor's check.</summary>
public sealed class CaFileOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-caopt-").FullName;
    private readonly Dictionary<string, string> _flags = [];
    private readonly Dictionary<string, string> _environment = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("qbittorrent", "--qbt-url", "https://qbt.lan:8080", "--qbt-ca-file", null)]
    [InlineData("transmission", "--transmission-url", "https://tr.lan:9091/transmission/rpc", "--transmission-ca-file", null)]
    [InlineData("deluge", "--deluge-url", "https://deluge.lan:8112/json", "--deluge-ca-file", "--deluge-password-file")]
    public void Parse_HttpsUrlWithCaFile_Accepted(string client, string urlFlag, string url, string caFlag, string? passwordFlag)
    {
        _flags["--client"] = client;
        _flags[urlFlag] = url;
        _flags[caFlag] = CaPem();
        if (passwordFlag is not null)
        {
            _flags[passwordFlag] = Secret();
        }

        var parser = Parser();

        Assert.NotNull(parser.Parse());
        Assert.Empty(parser.Errors);
    }

    [Fact]
    public void Parse_CaFileFromEnvironment_SetOnTheOptions()
    {
        _environment["QBT_URL"] = "https://qbt.lan:8080";
        _environment["QBT_CA_FILE"] = CaPem();

        var o = Parser().Parse();

        Assert.NotNull(o);
        Assert.Equal("qBittorrent at https://qbt.lan:8080/", o.Client?.Target);
    }

    [Fact]
    public void Parse_CaFileWithHttpUrl_ErrorSayingUseHttps()
    {
        _flags["--qbt-url"] = "http://qbt.lan:8080";
        _flags["--qbt-ca-file"] = CaPem();
        var parser = Parser();

        Assert.Null(parser.Parse());

        var error = Assert.Single(parser.Errors);
        Assert.Contains("--qbt-ca-file was given but the URL 'http://qbt.lan:8080/' is http://", error, StringComparison.Ordinal);
        Assert.Contains("use https://", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CaFileMissing_ErrorNamingFlagAndFile()
    {
        _flags["--qbt-url"] = "https://qbt.lan:8080";
        _flags["--qbt-ca-file"] = Path.Combine(_directory, "absent.pem");
        var parser = Parser();

        Assert.Null(parser.Parse());

        var error = Assert.Single(parser.Errors);
        Assert.StartsWith($"--qbt-ca-file '{_flags["--qbt-ca-file"]}': ", error, StringComparison.Ordinal);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CaFileWithoutCertificate_Error()
    {
        var path = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(path, "nothing here\n");
        _flags["--qbt-url"] = "https://qbt.lan:8080";
        _flags["--qbt-ca-file"] = path;
        var parser = Parser();

        Assert.Null(parser.Parse());

        Assert.Contains("holds no PEM certificate", Assert.Single(parser.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyCaFilePath_Error()
    {
        var errors = new QBittorrentOptions { BaseUrl = new Uri("https://qbt.lan"), CaFile = string.Empty }.Validate();

        Assert.Contains("--qbt-ca-file path is empty", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaFileCheck_ValidCa_OkListingIt()
    {
        var result = await new CaFileCheck(CaPem(), "--qbt-ca-file", TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Ok, result.Verdict);
        Assert.Contains("holds 1 certificate(s): 'CN=Doctor CA'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaFileCheck_ExpiredCertificate_FailSayingRenew()
    {
        using var ca = TestCertificates.CreateCa("Doctor CA");
        using var expired = TestCertificates.CreateServer(ca, notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-2));
        var path = TestCertificates.WritePem(Path.Combine(_directory, "expired.pem"), expired);

        var result = await new CaFileCheck(path, "--qbt-ca-file", TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("not valid now", result.Detail, StringComparison.Ordinal);
        Assert.Contains("renew", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaFileCheck_Missing_FailNamingTheFlag()
    {
        var result = await new CaFileCheck(Path.Combine(_directory, "nope.pem"), "--deluge-ca-file", TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains("does not exist", result.Detail, StringComparison.Ordinal);
        Assert.Contains("--deluge-ca-file", result.Fix, StringComparison.Ordinal);
    }

    private DaemonOptionsParser Parser() => new(s => _flags.TryGetValue(s.Name, out var v) ? [v] : null, e => _environment.GetValueOrDefault(e));

    private string CaPem()
    {
        using var ca = TestCertificates.CreateCa("Doctor CA");
        return TestCertificates.WritePem(Path.Combine(_directory, "ca.pem"), ca);
    }

    private string Secret()
    {
        var path = Path.Combine(_directory, "password");
        File.WriteAllText(path, "s3cret\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
