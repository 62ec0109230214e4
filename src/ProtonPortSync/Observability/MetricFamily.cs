using System.Buffers;
using System.Globalization;
using System.Text;

namespace ProtonPortSync.Observability;

/// <summary>A Prometheus metric type, as written on its <c># TYPE</c> line.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
}

/// <summary>
/// One value of a metric family: a double written by the loop and read by request threads. Atomic without locks:
/// the bits of the double swap as one long.
/// </summary>
internal sealed class MetricSample(string name, string? labelName, string? labelValue)
{
    private long _bits;

    public string? LabelValue { get; } = labelValue;

    public byte[] PrefixBytes { get; } = PrometheusText.SamplePrefix(name, labelName, labelValue);

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double amount)
    {
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _bits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + amount);
        }
        while (Interlocked.CompareExchange(ref _bits, next, seen) != seen);
    }
}

/// <summary>
/// A metric family with a fixed set of samples: either one unlabelled sample, or one per value of a single label,
/// all created up front (so every series exists from the first scrape at 0, and a scrape allocates nothing).
/// </summary>
internal sealed class MetricFamily
{
    private readonly MetricSample[] _samples;

    private MetricFamily(string name, string help, MetricType type, string? labelName, MetricSample[] samples)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelName = labelName;
        _samples = samples;
        HeaderBytes = PrometheusText.Header(name, help, type);
    }

    public byte[] HeaderBytes { get; }

    public string Name { get; }

    public string Help { get; }

    public MetricType Type { get; }

    public string? LabelName { get; }

    public IReadOnlyList<MetricSample> Samples => _samples;

    /// <summary>The only sample of an unlabelled family.</summary>
    public MetricSample Sample => _samples[0];

    public static MetricFamily Single(string name, string help, MetricType type) => new(name, help, type, null, [new MetricSample(name, null, null)]);

    public static MetricFamily Labelled(string name, string help, MetricType type, string labelName, IEnumerable<string> labelValues)
        => new(name, help, type, labelName, labelValues.Distinct(StringComparer.Ordinal).Select(v => new MetricSample(name, labelName, v)).ToArray());

    /// <summary>The sample with this label value.</summary>
    public MetricSample this[string labelValue]
        => Array.Find(_samples, s => string.Equals(s.LabelValue, labelValue, StringComparison.Ordinal))
           ?? throw new ArgumentOutOfRangeException(nameof(labelValue), labelValue, $"{Name} has no series {LabelName}=\"{labelValue}\".");
}

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: <c># HELP</c>, <c># TYPE</c>, then one line per sample.
/// Written by hand rather than with prometheus-net: the daemon has a dozen fixed series, and the library's registry,
/// its HttpListener server and its default collectors are dead weight in the binary and on the heap. Everything but
/// the numbers is encoded once, so a scrape allocates nothing.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The <c># HELP</c> and <c># TYPE</c> lines of a family, UTF-8.</summary>
    public static byte[] Header(string name, string help, MetricType type)
        => Encoding.UTF8.GetBytes($"# HELP {name} {EscapeHelp(help)}\n# TYPE {name} {(type == MetricType.Counter ? "counter" : "gauge")}\n");

    /// <summary>What precedes the value on a sample's line: the name, the label if any, a space.</summary>
    public static byte[] SamplePrefix(string name, string? labelName, string? labelValue)
        => Encoding.UTF8.GetBytes(labelName is null ? $"{name} " : $"{name}{{{labelName}=\"{EscapeLabelValue(labelValue!)}\"}} ");

    public static void Write(IBufferWriter<byte> destination, IEnumerable<MetricFamily> families)
    {
        foreach (var family in families)
        {
            destination.Write(family.HeaderBytes);
            foreach (var sample in family.Samples)
            {
                destination.Write(sample.PrefixBytes);
                WriteValue(destination, sample.Value);
                destination.Write("\n"u8);
            }
        }
    }

    /// <summary>Go's float formatting as Prometheus reads it: shortest round-trip form, +Inf, -Inf, NaN.</summary>
    public static void WriteValue(IBufferWriter<byte> destination, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            destination.Write(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8);
            return;
        }

        var span = destination.GetSpan(32);
        value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        destination.Advance(written);
    }

    // The format: in HELP, backslash and line feed are escaped; in label values, the double quote as well.
    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string value) => EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);
}
