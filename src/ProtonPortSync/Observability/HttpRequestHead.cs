using System.Buffers.Text;
using System.Text;

namespace ProtonPortSync.Observability;

/// <summary>
/// The parts of an HTTP/1.x request head the observability server needs: method, path (without the query), whether
/// the connection may stay open (HTTP/1.1 without <c>Connection: close</c>; HTTP/1.0 always closes), and whether a body follows (which it never reads: the connection closes instead).
/// </summary>
internal sealed record HttpRequestHead(string Method, string Path, bool KeepAlive, bool HasBody)
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Length of the head including its blank line, or -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf(HeadEnd);
        return end < 0 ? -1 : end + HeadEnd.Length;
    }

    /// <summary>Parses a complete head (as delimited by <see cref="HeadLength"/>); null when it is not HTTP/1.x.</summary>
    public static HttpRequestHead? TryParse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd <= 0)
        {
            return null;
        }

        var line = head[..lineEnd];
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            return null;
        }

        var version = line[(lastSpace + 1)..];
        var target = line[(firstSpace + 1)..lastSpace];
        if (!version.StartsWith("HTTP/1."u8) || version.Length != 8 || target[0] != (byte)'/' || !IsToken(line[..firstSpace]))
        {
            return null;
        }

        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        var keepAlive = version[7] == (byte)'1';
        var hasBody = false;
        foreach (var range in head[(lineEnd + 2)..].Split("\r\n"u8))
        {
            var field = head[(lineEnd + 2)..][range];
            var colon = field.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = field[..colon];
            var value = field[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                keepAlive = keepAlive && !Ascii.EqualsIgnoreCase(value, "close"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)
                     || (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !(Utf8Parser.TryParse(value, out long length, out var used) && used == value.Length && length == 0)))
            {
                hasBody = true;
            }
        }

        return new HttpRequestHead(Encoding.ASCII.GetString(line[..firstSpace]), Encoding.ASCII.GetString(path), keepAlive && !hasBody, hasBody);
    }

    private static bool IsToken(ReadOnlySpan<byte> method)
    {
        foreach (var b in method)
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }
}
