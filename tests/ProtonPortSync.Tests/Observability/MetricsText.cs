using System.Globalization;
using System.Text;
using ProtonPortSync.Observability;

namespace ProtonPortSync.Tests.Observability;

/// <summary>Scrapes a <see cref="SyncMetrics"/> and reads sample values out of the text format.</summary>
internal static class MetricsText
{
    public static async Task<string> ScrapeAsync(SyncMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.ExportAsync(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The value of the sample whose name and labels are exactly <paramref name="series"/>, e.g. <c>x_total{result="success"}</c>.</summary>
    public static double Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"No sample {series} in:\n{text}");
    }
}
