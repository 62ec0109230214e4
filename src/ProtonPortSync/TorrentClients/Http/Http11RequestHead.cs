using System.Net.Http.Headers;
using System.Text;

namespace ProtonPortSync.TorrentClients.Http;

/// <summary>The request line, header fields and body of one HTTP/1.1 request, as bytes to send in one write.</summary>
internal static class Http11RequestHead
{
    /// <exception cref="HttpRequestException">A header holds a character that cannot be sent (a line break, non-ASCII): nothing is sent.</exception>
    public static byte[] Format(HttpRequestMessage request, Uri uri, byte[]? body)
    {
        var text = new StringBuilder(256);
        text.Append(request.Method.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\nHost: ").Append(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost);
        if (!uri.IsDefaultPort)
        {
            text.Append(':').Append(uri.Port);
        }

        text.Append("\r\n");
        Append(text, request.Headers.NonValidated);
        if (request.Content is not null)
        {
            Append(text, request.Content.Headers.NonValidated);
        }

        if (body is not null || request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
        {
            text.Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n");
        }

        text.Append("\r\n");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is > '\x7e' or (< ' ' and not '\r' and not '\n' and not '\t'))
            {
                throw new HttpRequestException(HttpRequestError.Unknown, "The request was not sent: it holds a character HTTP/1.1 cannot carry (non-ASCII or a control character); check the configured URL and credentials.");
            }
        }

        var headLength = Encoding.ASCII.GetByteCount(text.ToString());
        var message = new byte[headLength + (body?.Length ?? 0)];
        Encoding.ASCII.GetBytes(text.ToString(), message);
        body?.CopyTo(message.AsSpan(headLength));
        return message;
    }

    private static void Append(StringBuilder text, HttpHeadersNonValidated headers)
    {
        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = values.ToString();
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new HttpRequestException(HttpRequestError.Unknown, $"The request was not sent: its header {name} holds a line break.");
            }

            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
    }
}
