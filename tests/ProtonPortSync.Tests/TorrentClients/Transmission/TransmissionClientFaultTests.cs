using System.Net;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

public sealed class TransmissionClientFaultTests
{
    [Theory]
    [InlineData("<html>not json</html>", "Transmission's answer to session-get is not the expected JSON object")]
    [InlineData("null", "Transmission's answer to session-get has no \"result\" field")]
    [InlineData("{}", "Transmission's answer to session-get has no \"result\" field")]
    [InlineData("""{"arguments":{},"result":"method name not recognized"}""", "Transmission refused session-get: \"method name not recognized\"")]
    [InlineData("""{"arguments":{},"result":"bad\r\nforged"}""", "Transmission refused session-get: \"bad\\u000D\\u000Aforged\"")]
    [InlineData("""{"arguments":{},"result":"success"}""", "Transmission's session-get has no arguments.peer-port field")]
    [InlineData("""{"result":"success"}""", "Transmission's session-get has no arguments.peer-port field")]
    [InlineData("""{"arguments":{"peer-port":"51413"},"result":"success"}""", "is not the expected JSON object")]
    [InlineData("""{"arguments":{"peer-port":70000},"result":"success"}""", "Transmission's session-get has peer-port 70000, outside 0–65535")]
    public async Task GetListenPortAsync_UnexpectedBody_InvalidResponseSayingWhat(string body, string expected)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.Intercept = r => r.Headers.Contains("X-Transmission-Session-Id") ? TransmissionFake.Json(body) : null;
        var client = bed.Client();

        var e = await TransmissionTestBed.FailsWith(TorrentClientFailure.InvalidResponse, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
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
