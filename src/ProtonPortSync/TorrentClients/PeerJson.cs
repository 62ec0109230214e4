using System.Text.Json;

namespace ProtonPortSync.TorrentClients;

/// <summary>Reading text out of a peer's JSON without trusting it to be text.</summary>
internal static class PeerJson
{
    /// <summary>
    /// The element's text; null when it is not a string, or when it is not valid UTF-16: a lone surrogate escape
    /// (<c>"\ud800"</c>) is valid JSON, but <see cref="JsonElement.GetString"/> refuses it with an
    /// <see cref="InvalidOperationException"/>, which no adapter may let escape (the loop would stop on it).
    /// </summary>
    public static string? String(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
