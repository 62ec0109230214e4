using System.Net;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

/// <summary>
/// deluge-web's HTTP status, mapped at each edge of its range to what the sync loop does next: a server error is
/// Unreachable (retried soon), anything else that is not 2xx is InvalidResponse with a hint at what to fix.
/// </summary>
public sealed class DelugeClientStatusTests
{
    [Theory]
    [InlineData(500, nameof(TorrentClientFailure.Unreachable), "is failing or restarting")]
    [InlineData(599, nameof(TorrentClientFailure.Unreachable), "is failing or restarting")]
    [InlineData(499, nameof(TorrentClientFailure.InvalidResponse), "an answer the adapter does not expect")]
    [InlineData(404, nameof(TorrentClientFailure.InvalidResponse), "it must be deluge-web's JSON-RPC endpoint")]
    [InlineData(400, nameof(TorrentClientFailure.InvalidResponse), "an answer the adapter does not expect")]
    [InlineData(399, nameof(TorrentClientFailure.InvalidResponse), "a redirect; point the URL at deluge-web's /json itself")]
    [InlineData(300, nameof(TorrentClientFailure.InvalidResponse), "a redirect; point the URL at deluge-web's /json itself")]
    [InlineData(199, nameof(TorrentClientFailure.InvalidResponse), "an answer the adapter does not expect")]
    public async Task GetListenPortAsync_HttpStatus_FailureAndHint(int status, string expected, string hint)
    {
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = _ => new HttpResponseMessage((HttpStatusCode)status);
        var client = bed.Client();

        var e = await DelugeTestBed.FailsWith(Enum.Parse<TorrentClientFailure>(expected), () => client.GetListenPortAsync(CancellationToken.None));

        Assert.StartsWith($"deluge-web answered HTTP {status} to auth.login: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_Status299WithAnEnvelope_Accepted()
    {
        // Any 2xx carries the JSON-RPC envelope; only its content decides.
        using var bed = new DelugeTestBed();
        bed.Fake.Intercept = m =>
        {
            if (m != "core.get_listen_port")
            {
                return null;
            }

            var answer = DelugeFake.Json("""{"result": 6881, "error": null, "id": 1}""");
            answer.StatusCode = (HttpStatusCode)299;
            return answer;
        };
        var client = bed.Client();

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
    }
}
