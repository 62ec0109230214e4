using System.Buffers.Text;
using System.Net;
using System.Text;

namespace ProtonPortSync.TorrentClients.Http;

/// <summary>How the body after a response head is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: 1xx, 204, 304, or the answer to HEAD.</summary>
    None,

    /// <summary><c>Content-Length</c> bytes.</summary>
    Length,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,

    /// <summary>Everything until the server closes the connection (HTTP/1.0 style); the connection is not reused.</summary>
    UntilClose,
}

/// <summary>
/// A parsed HTTP/1.x response head: status, reason, header fields in order, how the body is framed, and whether the
/// connection may carry another request. Strict where a lenient reading would let a peer smuggle a second answer or
/// desynchronise the connection (conflicting lengths, folded or malformed fields): such a head is refused whole.
/// </summary>
internal sealed class Http11ResponseHead
{
    /// <summary>The largest head read, like <c>SocketsHttpHandler.MaxResponseHeadersLength</c>'s 64 KiB.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private Http11ResponseHead(Version version, int statusCode, string reasonPhrase, List<KeyValuePair<string, string>> fields, BodyFraming framing, long contentLength, bool keepAlive)
    {
        Version = version;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Fields = fields;
        Framing = framing;
        ContentLength = contentLength;
        KeepAlive = keepAlive;
    }

    public Version Version { get; }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    /// <summary>The header fields in the order received, names as sent, values trimmed.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    public BodyFraming Framing { get; }

    /// <summary>The body's length when <see cref="Framing"/> is <see cref="BodyFraming.Length"/>, else -1.</summary>
    public long ContentLength { get; }

    /// <summary>The connection may carry another request once the body has been read.</summary>
    public bool KeepAlive { get; }

    /// <summary>Length of the head including its blank line, or -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>
    /// Parses a complete head (as delimited by <see cref="HeadLength"/>). <paramref name="bodyless"/>: the request was
    /// HEAD, so no body follows whatever the fields say.
    /// </summary>
    /// <exception cref="HttpRequestException">The head is not a valid HTTP/1.x response head; the message says what.</exception>
    public static Http11ResponseHead Parse(ReadOnlySpan<byte> head, bool bodyless = false)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            throw Invalid("the answer has no status line");
        }

        var (version, status, reason) = ParseStatusLine(head[..lineEnd]);
        var fields = new List<KeyValuePair<string, string>>();
        long contentLength = -1;
        var chunked = false;
        var transferEncoding = false;
        var close = false;
        var keepAliveToken = false;
        var rest = head[(lineEnd + 2)..];
        while (true)
        {
            var end = rest.IndexOf("\r\n"u8);
            if (end <= 0)
            {
                break;
            }

            var name = rest[..ParseField(rest[..end], out var value)];
            rest = rest[(end + 2)..];
            fields.Add(new KeyValuePair<string, string>(Encoding.ASCII.GetString(name), Encoding.Latin1.GetString(value)));
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                var length = ParseContentLength(value);
                if (contentLength >= 0 && contentLength != length)
                {
                    throw Invalid("the answer has two different Content-Length fields");
                }

                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                // Only the last coding decides whether the body is chunked (RFC 9112 §6.3).
                transferEncoding = true;
                chunked = LastToken(value) is var last && Ascii.EqualsIgnoreCase(last, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close |= HasToken(value, "close"u8);
                keepAliveToken |= HasToken(value, "keep-alive"u8);
            }
        }

        var framing = bodyless || status is < 200 or 204 or 304
            ? BodyFraming.None
            : transferEncoding
                ? chunked ? BodyFraming.Chunked : BodyFraming.UntilClose
                : contentLength >= 0 ? BodyFraming.Length : BodyFraming.UntilClose;
        var keepAlive = framing != BodyFraming.UntilClose && !close && (version == HttpVersion.Version11 || keepAliveToken);
        return new Http11ResponseHead(version, status, reason, fields, framing, framing == BodyFraming.Length ? contentLength : -1, keepAlive);
    }

    private static (Version Version, int Status, string Reason) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.1 200 OK": the version, a space, three digits, then a space and the reason (which may be empty).
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != (byte)' '
            || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]) || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw Invalid($"the answer does not start with an HTTP/1.x status line: \"{Printable(line)}\"");
        }

        var status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (status is < 100 or > 599)
        {
            throw Invalid($"the status code {status} is outside 100–599");
        }

        var reason = line.Length > 13 ? line[13..] : [];
        if (reason.IndexOfAnyInRange((byte)0, (byte)8) >= 0 || reason.IndexOfAnyInRange((byte)10, (byte)31) >= 0 || reason.Contains((byte)127))
        {
            throw Invalid("the status line holds control characters");
        }

        return (line[7] == (byte)'1' ? HttpVersion.Version11 : HttpVersion.Version10, status, Encoding.Latin1.GetString(reason));
    }

    /// <summary>Checks one "name: value" line; returns the name's length and the trimmed value.</summary>
    private static int ParseField(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            // obs-fold: RFC 9112 §5.2 lets a user agent refuse it, and a folded line could hide a field.
            throw Invalid("a header field is folded over two lines");
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            throw Invalid($"a header line is not \"name: value\": \"{Printable(line)}\"");
        }

        value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.IndexOfAnyInRange((byte)0, (byte)8) >= 0 || value.IndexOfAnyInRange((byte)10, (byte)31) >= 0 || value.Contains((byte)127))
        {
            throw Invalid($"the header field {Encoding.ASCII.GetString(line[..colon])} holds control characters");
        }

        return colon;
    }

    private static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        // A list of equal lengths ("5, 5") is allowed by RFC 9110 §8.6; anything else is refused.
        long length = -1;
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (item.IsEmpty || item.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(item, out long parsed, out var used) || used != item.Length
                || (length >= 0 && parsed != length))
            {
                throw Invalid($"the Content-Length \"{Printable(value)}\" is not one non-negative number");
            }

            length = parsed;
        }

        return length;
    }

    private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        return (comma < 0 ? value : value[(comma + 1)..]).Trim(" \t"u8);
    }

    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>At most 80 characters of peer text, control characters as '?', for a message.</summary>
    private static string Printable(ReadOnlySpan<byte> text)
    {
        var shown = text.Length > 80 ? text[..80] : text;
        var chars = new char[shown.Length];
        for (var i = 0; i < shown.Length; i++)
        {
            chars[i] = shown[i] is >= 0x20 and < 0x7f ? (char)shown[i] : '?';
        }

        return new string(chars) + (text.Length > 80 ? "…" : string.Empty);
    }

    private static HttpRequestException Invalid(string what)
        => new(HttpRequestError.InvalidResponse, $"The server's answer is not valid HTTP/1.1: {what}.");
}
