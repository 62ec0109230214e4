using System.Net;
using ProtonPortSync.Doctor;
using ProtonPortSync.NatPmp;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.Doctor;

public sealed class ServiceChecksTests
{
    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);
    private static readonly Uri Url = new("http://127.0.0.1:8080");

    [Fact]
    public async Task GatewayCheck_Answers_OkWithPublicAddressAndOneRequest()
    {
        var gateway = new ScriptedGateway(null);

        var r = await new GatewayCheck(gateway, Gateway, TimeSpan.FromSeconds(5)).RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Contains("203.0.113.7", r.Detail, StringComparison.Ordinal);
        Assert.Equal(1, gateway.PublicAddressRequests);
    }

    [Theory]
    [InlineData(NatPmpFailure.Timeout, "no reply from 10.2.0.1:5351 within 5 s")]
    [InlineData(NatPmpFailure.ConnectionRefused, "port forwarding not enabled")]
    [InlineData(NatPmpFailure.ResultCode, "result code 2 Not Authorized/Refused")]
    [InlineData(NatPmpFailure.Network, "cannot talk to 10.2.0.1:5351")]
    public async Task GatewayCheck_Failure_FailNamesCause(NatPmpFailure failure, string expected)
    {
        var error = new NatPmpException(failure, NatPmpOpcode.PublicAddress, Gateway, failure == NatPmpFailure.ResultCode ? NatPmpResultCode.NotAuthorizedOrRefused : null);

        var r = await new GatewayCheck(new ScriptedGateway(error), Gateway, TimeSpan.FromSeconds(5)).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains(expected, r.Detail, StringComparison.Ordinal);
        Assert.NotNull(r.Fix);
    }

    [Fact]
    public async Task QBittorrentCheck_CredentialsAcceptedUpnpAndRandomOff_Ok()
    {
        var r = await new QBittorrentCheck(_ => Task.FromResult(new QBittorrentPreferencesSnapshot(6881, false, false)), Url).RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Contains("credentials accepted", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QBittorrentCheck_UpnpAndRandomPortOn_FailNamesBoth()
    {
        var r = await new QBittorrentCheck(_ => Task.FromResult(new QBittorrentPreferencesSnapshot(6881, true, true)), Url).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("UPnP/NAT-PMP port forwarding is on and it picks a random port", r.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TorrentClientFailure.BadCredentials), "refused the credentials")]
    [InlineData(nameof(TorrentClientFailure.Banned), "banned")]
    [InlineData(nameof(TorrentClientFailure.Unreachable), "does not answer")]
    public async Task QBittorrentCheck_ClientFailure_FailNamesCause(string failureName, string expected)
    {
        var failure = Enum.Parse<TorrentClientFailure>(failureName);
        var calls = 0;
        var check = new QBittorrentCheck(
            _ =>
            {
                calls++;
                throw new TorrentClientException("qbittorrent", failure, "login failed");
            },
            Url);

        var r = await check.RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains(expected, r.Detail, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task RunChecksAsync_OkAndWarn_ExitZeroOneLineEach()
    {
        using var output = new StringWriter();

        var exit = await DoctorCommand.RunChecksAsync([new FixedCheck(DoctorResult.Ok("a", "fine")), new FixedCheck(DoctorResult.Warn("b", "hmm", "do x"))], output, default);

        Assert.Equal(DoctorCommand.ExitOk, exit);
        Assert.Equal(["ok    a            fine", "warn  b            hmm — fix: do x"], output.ToString().TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public async Task RunChecksAsync_OneFail_ExitOneAndLaterChecksStillRun()
    {
        using var output = new StringWriter();

        var exit = await DoctorCommand.RunChecksAsync([new FixedCheck(DoctorResult.Fail("a", "broken", "fix it")), new FixedCheck(DoctorResult.Ok("b", "fine"))], output, default);

        Assert.Equal(DoctorCommand.ExitFailed, exit);
        Assert.Contains("ok    b", output.ToString(), StringComparison.Ordinal);
    }
}
