using System.Text;
using ProtonPortSync.Observability;

namespace ProtonPortSync.Tests.Observability;

public sealed class HttpRequestHeadTests
{
    private static HttpRequestHead? Parse(string head) => HttpRequestHead.TryParse(Encoding.ASCII.GetBytes(head));

    [Fact]
    public void TryParse_PrometheusScrape_GetMetricsKeepAlive()
    {
        var head = Parse("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9834\r\nUser-Agent: Prometheus/2.42.0\r\nAccept: text/plain\r\n\r\n");

        Assert.Equal(new HttpRequestHead("GET", "/metrics", KeepAlive: true, HasBody: false), head);
    }

    [Theory]
    [InlineData("GET /healthz?x=1 HTTP/1.1\r\nConnection: close\r\n\r\n", "/healthz", false)]
    [InlineData("HEAD /status HTTP/1.0\r\n\r\n", "/status", false)]
    [InlineData("GET /status HTTP/1.1\r\nconnection: Keep-Alive\r\n\r\n", "/status", true)]
    public void TryParse_QueryAndConnectionHeaders_PathWithoutQueryAndKeepAlive(string text, string path, bool keepAlive)
    {
        var head = Parse(text)!;

        Assert.Equal(path, head.Path);
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Theory]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("POST /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: x\r\n\r\n")]
    public void TryParse_RequestWithBody_HasBodyAndCloses(string text)
    {
        var head = Parse(text)!;

        Assert.True(head.HasBody);
        Assert.False(head.KeepAlive);
    }

    [Theory]
    [InlineData("\r\n\r\n")]
    [InlineData("GET\r\n\r\n")]
    [InlineData("GET /metrics\r\n\r\n")]
    [InlineData("GET /metrics HTTP/2.0\r\n\r\n")]
    [InlineData("GET metrics HTTP/1.1\r\n\r\n")]
    [InlineData("get /metrics HTTP/1.1\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001 /metrics HTTP/1.1\r\n\r\n")]
    public void TryParse_NotHttp1_Null(string text) => Assert.Null(Parse(text));

    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n", -1)]
    [InlineData("GET /metrics HTTP/1.1\r\n\r\n", 25)]
    [InlineData("GET /metrics HTTP/1.1\r\n\r\nGET /status", 25)]
    public void HeadLength_PartialCompleteAndPipelined_LengthOfFirstHead(string text, int expected)
        => Assert.Equal(expected, HttpRequestHead.HeadLength(Encoding.ASCII.GetBytes(text)));
}
