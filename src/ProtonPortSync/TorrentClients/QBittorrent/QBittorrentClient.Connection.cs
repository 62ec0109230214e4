using System.Text.Json;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>The client's own view of reachability: <c>connection_status</c> in <c>GET /api/v2/transfer/info</c> (4.1+).</summary>
internal sealed partial class QBittorrentClient : IConnectionStatusSource
{
    public bool ReportsConnectionStatus => true;

    public Task<ClientConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken)
        => SerializedAsync(GetConnectionStatusCoreAsync, cancellationToken);

    private async Task<ClientConnectionStatus> GetConnectionStatusCoreAsync(CancellationToken cancellationToken)
    {
        const string endpoint = "transfer/info";
        using var response = await SendAuthorizedAsync(endpoint, () => new HttpRequestMessage(HttpMethod.Get, Api(endpoint)), cancellationToken);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);

            // Read as an element, not a typed field: a number or object where the text belongs is Unknown, not an error.
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("connection_status", out var status)
                && PeerJson.String(status) is { } text
                ? ClientConnectionStatusText.Parse(text)
                : ClientConnectionStatus.Unknown;
        }
        catch (JsonException e)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} is not JSON ({PeerText.Clean(e.Message)}).", e);
        }
    }
}
