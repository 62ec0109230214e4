using ProtonPortSync.Doctor;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Doctor;

public class TorrentClientCheckTests
{
    private static readonly Uri Url = new("http://127.0.0.1:9091/transmission/rpc");

    [Fact]
    public async Task RunAsync_ClientAnswers_OkWithItsPortAndOneCall()
    {
        var client = new FakeTorrentClient { ListenPort = 51413 };

        var result = await new TorrentClientCheck(client, Url, "--transmission-password-file").RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, result.Verdict);
        Assert.Contains("51413", result.Detail, StringComparison.Ordinal);
        Assert.Equal(["get"], client.Calls);
    }

    [Theory]
    [InlineData(nameof(TorrentClientFailure.BadCredentials), "refused the credentials", "--transmission-password-file")]
    [InlineData(nameof(TorrentClientFailure.Banned), "locked this address out", "restart")]
    [InlineData(nameof(TorrentClientFailure.Unreachable), "does not answer", "start")]
    [InlineData(nameof(TorrentClientFailure.InvalidResponse), "wrong thing", "RPC endpoint")]
    [InlineData(nameof(TorrentClientFailure.CertificateRefused), "wrong thing", "CA file")]
    public async Task RunAsync_ClientFails_FailNamingCauseAndFix(string failure, string detail, string fix)
    {
        var client = new FakeTorrentClient();
        client.Failures.Enqueue(new TorrentClientException("fake", Enum.Parse<TorrentClientFailure>(failure), "wrong thing"));

        var result = await new TorrentClientCheck(client, Url, "--transmission-password-file").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, result.Verdict);
        Assert.Contains(detail, result.Detail, StringComparison.Ordinal);
        Assert.Contains(fix, result.Fix, StringComparison.Ordinal);
        Assert.Single(client.Calls);
    }
}
