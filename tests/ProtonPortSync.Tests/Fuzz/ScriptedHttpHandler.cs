using System.Net;
using System.Text;

namespace ProtonPortSync.Tests.Fuzz;

/// <summary>An HTTP peer in memory: every request is answered by <see cref="Answer"/> (status, body, extra headers).</summary>
internal sealed class ScriptedHttpHandler(Func<HttpRequestMessage, string, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
{
    public Func<HttpRequestMessage, string, (HttpStatusCode Status, string Body)> Answer { get; } = answer;

    /// <summary>A Set-Cookie header added to every answer (deluge-web's session).</summary>
    public string? SetCookie { get; init; }

    /// <summary>Answers without Content-Length, as a chunked answer arrives: the body's length is known only at its end.</summary>
    public bool WithoutLength { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var (status, text) = Answer(request, body);
        HttpContent content = WithoutLength ? new StreamContent(new LengthlessStream(Encoding.UTF8.GetBytes(text))) : new StringContent(text, Encoding.UTF8, "application/json");
        var response = new HttpResponseMessage(status) { Content = content, RequestMessage = request };
        if (SetCookie is not null)
        {
            response.Headers.TryAddWithoutValidation("Set-Cookie", SetCookie);
        }

        return response;
    }

    /// <summary>Not seekable, so <see cref="StreamContent"/> cannot compute a length.</summary>
    private sealed class LengthlessStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
