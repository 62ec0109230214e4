using System.Net;
using System.Text;

namespace ProtonPortSync.Tests.Fuzz;

/// <summary>An HTTP peer in memory: every request is answered by <see cref="Answer"/> (status, body, extra headers).</summary>
internal sealed class ScriptedHttpHandler(Func<HttpRequestMessage, string, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
{
    public Func<HttpRequestMessage, string, (HttpStatusCode Status, string Body)> Answer { get; } = answer;

    /// <summary>A Set-Cookie header added to every answer (deluge-web's session).</summary>
    public string? SetCookie { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var (status, text) = Answer(request, body);
        var response = new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json"), RequestMessage = request };
        if (SetCookie is not null)
        {
            response.Headers.TryAddWithoutValidation("Set-Cookie", SetCookie);
        }

        return response;
    }
}
