using System.Net;
using System.Text;
using ProtonPortSync.TorrentClients.Http;

namespace ProtonPortSync.Tests.TorrentClients.Http;

public sealed class Http11ResponseHeadTests
{
    [Fact]
    public void Parse_OkWithLength_StatusFieldsInOrderLengthAndKeepAlive()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: SID=abc; HttpOnly\r\nContent-Length: 17\r\n\r\n");

        Assert.Equal(200, head.StatusCode);
        Assert.Equal("OK", head.ReasonPhrase);
        Assert.Equal(HttpVersion.Version11, head.Version);
        Assert.Equal(BodyFraming.Length, head.Framing);
        Assert.Equal(17, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal(
            [new("Content-Type", "application/json"), new("Set-Cookie", "SID=abc; HttpOnly"), new("Content-Length", "17")],
            head.Fields);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "Chunked", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Chunked", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "UntilClose", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "UntilClose", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "Length", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", "Length", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", "Length", true)]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n", "Length", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nconnection: Upgrade, CLOSE\r\n\r\n", "Length", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", "Length", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n", "Length", true)]
    [InlineData("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", "Length", true)]
    public void Parse_Framing_AsRfc9112Says(string text, string expected, bool keepAlive)
    {
        var framing = Enum.Parse<BodyFraming>(expected);
        var head = Parse(text);

        Assert.Equal(framing, head.Framing);
        Assert.Equal(keepAlive, head.KeepAlive);
        Assert.Equal(framing == BodyFraming.Length ? (text.Contains(": 0", StringComparison.Ordinal) ? 0 : 5) : -1, head.ContentLength);
    }

    [Fact]
    public void Parse_AnswerToHead_NoBodyWhateverTheLength()
    {
        var head = Http11ResponseHead.Parse(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n"), bodyless: true);

        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.Equal(-1, head.ContentLength);
        Assert.True(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200\r\n\r\n", 200, "")]
    [InlineData("HTTP/1.1 200 \r\n\r\n", 200, "")]
    [InlineData("HTTP/1.1 403 Forbidden here\r\n\r\n", 403, "Forbidden here")]
    [InlineData("HTTP/1.1 599 x\r\n\r\n", 599, "x")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", 100, "Continue")]
    public void Parse_StatusLine_CodeAndReason(string text, int status, string reason)
    {
        var head = Parse(text);

        Assert.Equal(status, head.StatusCode);
        Assert.Equal(reason, head.ReasonPhrase);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nX: \t spaced \t\r\n\r\n", "spaced")]
    [InlineData("HTTP/1.1 200 OK\r\nX:\r\n\r\n", "")]
    [InlineData("HTTP/1.1 200 OK\r\nX: caf\u00e9\r\n\r\n", "caf\u00e9")]
    public void Parse_FieldValue_TrimmedAndLatin1(string text, string value)
    {
        var head = Http11ResponseHead.Parse(Encoding.Latin1.GetBytes(text));

        Assert.Equal(value, Assert.Single(head.Fields).Value);
    }

    [Theory]
    [InlineData("", "no status line")]
    [InlineData("HTTP/2 200 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n", "status line")]
    [InlineData("http/1.1 200 OK\r\n\r\n", "status line")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", "outside 100")]
    [InlineData("HTTP/1.1 600 High\r\n\r\n", "outside 100")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n", "control characters")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "two different Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", "not one non-negative number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "not one non-negative number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", "not one non-negative number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", "not one non-negative number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", "not one non-negative number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "not one non-negative number")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", "folded")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n\tfolded\r\n\r\n", "folded")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n", "not \"name: value\"")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n", "not \"name: value\"")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not \"name: value\"")]
    [InlineData("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", "not \"name: value\"")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\nContent-Length: 0\r\n\r\n", "control characters")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n", "control characters")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\n\r\n", "control characters")]
    public void Parse_Malformed_InvalidResponseSayingWhat(string text, string what)
    {
        var e = Assert.Throws<HttpRequestException>(() => Parse(text));

        Assert.Equal(HttpRequestError.InvalidResponse, e.HttpRequestError);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("The server's answer is not valid HTTP/1.1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongGarbageStatusLine_QuotedShortAndPrintable()
    {
        var e = Assert.Throws<HttpRequestException>(() => Parse("\u001b[2J" + new string('x', 200) + "\r\n\r\n"));

        Assert.DoesNotContain('\u001b', e.Message);
        Assert.Contains("?[2J" + new string('x', 76) + "…\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", 19)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n{\"a\":1}", 19)]
    [InlineData("HTTP/1.1 200 OK\r\nX: y\r\n", -1)]
    [InlineData("", -1)]
    public void HeadLength_CompleteOrNot(string text, int expected)
        => Assert.Equal(expected, Http11ResponseHead.HeadLength(Encoding.ASCII.GetBytes(text)));

    private static Http11ResponseHead Parse(string text) => Http11ResponseHead.Parse(Encoding.Latin1.GetBytes(text));
}
