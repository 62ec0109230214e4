using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

public sealed class QBittorrentOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
        => Assert.Empty(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }.Validate());

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryProblemAtOnce()
    {
        var options = new QBittorrentOptions
        {
            BaseUrl = new Uri("ftp://user:pw@host/"),
            Username = " ",
            PasswordFile = "/run/credentials/pw",
            ApiKeyFile = "/run/credentials/key",
            RequestTimeout = TimeSpan.Zero,
        };

        var errors = options.Validate();

        Assert.Equal(4, errors.Count);
        Assert.DoesNotContain(errors, e => e.Contains("pw@", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentExceptionListingProblems()
    {
        var options = new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080/?x=1"), RequestTimeout = TimeSpan.FromHours(1) };

        var e = Assert.Throws<ArgumentException>(() => new ProtonPortSync.TorrentClients.QBittorrent.QBittorrentClient(
            options, TimeProvider.System, new Fakes.CapturingLogger()));

        Assert.Contains("query", e.Message, StringComparison.Ordinal);
        Assert.Contains("timeout", e.Message, StringComparison.Ordinal);
    }
}
