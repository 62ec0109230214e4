using System.Net;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

public sealed class TransmissionClientFaultTests
{
    [Theory]
    [InlineData("<html>not json</html>")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"arguments":{},"result":"method name not recognized"}""")]
    [InlineData("""{"arguments":{},"result":"success"}""")]
    [InlineData("""{"arguments":{"peer-port":"51413"},"result":"success"}""")]
    [InlineData("""{"arguments":{"peer-port":70000},"result":"success"}""")]
    public async Task GetListenPortAsync_UnexpectedBody_InvalidResponse(string body)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = r => r.Headers.Contains("X-Transmission-Session-Id") ? TransmissionFake.Json(body) : null;
        var client = bed.Client();

        await TransmissionTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetListenPortAsync_ConnectionRefused_UnreachableNamingTheUrl()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = _ => throw new HttpRequestException("Connection refused (127.0.0.1:9091)");
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.Unreachable, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains("http://127.0.0.1:9091/transmission/rpc", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, nameof(TorrentClientFailure.Unreachable))]
    [InlineData(HttpStatusCode.NotFound, nameof(TorrentClientFailure.InvalidResponse))]
    [InlineData(HttpStatusCode.MovedPermanently, nameof(TorrentClientFailure.InvalidResponse))]
    public async Task GetListenPortAsync_HttpStatus_MapsToFailure(HttpStatusCode status, string expected)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = _ => new HttpResponseMessage(status);
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(Enum.Parse<TorrentClientFailure>(expected), () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_NoAnswer_UnreachableWhenTheRequestTimeoutPasses()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Hang = true;
        var client = bed.Client();

        var call = client.GetListenPortAsync(CancellationToken.None);
        for (var i = 0; i < 100 && bed.Fake.Requests.Count == 0; i++)
        {
            await Task.Yield();
        }

        Assert.False(call.IsCompleted);
        bed.Time.Advance(TransmissionTestBed.RequestTimeout);
        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.Unreachable, () => call);

        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }
}
