namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>Records every JSON-RPC exchange an adapter makes (request and answer bodies), for asserting what a real client answered.</summary>
internal sealed class RpcRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly List<(string Request, int Status, string Answer)> _exchanges = [];

    public IReadOnlyList<(string Request, int Status, string Answer)> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return [.. _exchanges];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        lock (_exchanges)
        {
            _exchanges.Add((body, (int)response.StatusCode, answer));
        }

        return response;
    }
}
