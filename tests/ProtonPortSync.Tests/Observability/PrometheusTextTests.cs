using System.Buffers;
using System.Text;
using ProtonPortSync.Observability;

namespace ProtonPortSync.Tests.Observability;

public sealed class PrometheusTextTests
{
    private static string Write(params MetricFamily[] families)
    {
        var buffer = new ArrayBufferWriter<byte>();
        PrometheusText.Write(buffer, families);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Write_CounterAndLabelledGauge_HelpTypeAndOneLinePerSeries()
    {
        var counter = MetricFamily.Single("x_total", "Things.", MetricType.Counter);
        var gauge = MetricFamily.Labelled("y", "Why.", MetricType.Gauge, "kind", ["a", "b"]);
        counter.Sample.Add(2);
        gauge["b"].Set(1.5);

        Assert.Equal("# HELP x_total Things.\n# TYPE x_total counter\nx_total 2\n# HELP y Why.\n# TYPE y gauge\ny{kind=\"a\"} 0\ny{kind=\"b\"} 1.5\n", Write(counter, gauge));
    }

    [Fact]
    public void Write_EscapesHelpAndLabelValue_BackslashNewlineQuote()
    {
        var gauge = MetricFamily.Labelled("z", "a\\b\nc", MetricType.Gauge, "v", ["q\"\\\n"]);

        Assert.Equal("# HELP z a\\\\b\\nc\n# TYPE z gauge\nz{v=\"q\\\"\\\\\\n\"} 0\n", Write(gauge));
    }

    [Theory]
    [InlineData(1767323045.123, "1767323045.123")]
    [InlineData(40000, "40000")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Write_Values_GoStyleFloats(double value, string expected)
    {
        var gauge = MetricFamily.Single("v", "V.", MetricType.Gauge);
        gauge.Sample.Set(value);

        Assert.EndsWith($"\nv {expected}\n", Write(gauge), StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_UnknownLabelValue_ThrowsNamingTheSeries()
    {
        var family = MetricFamily.Labelled("y", "Why.", MetricType.Gauge, "kind", ["a"]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => family["nope"]);

        Assert.Contains("kind=\"nope\"", ex.Message, StringComparison.Ordinal);
    }
}
