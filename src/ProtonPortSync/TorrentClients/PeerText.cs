using System.Globalization;
using System.Text;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// Text that came from a peer (an error message, a JSON value, a body), made fit for a log line: control characters
/// escaped (a carriage return or an escape sequence cannot forge lines or repaint a terminal) and the length capped,
/// so a hostile or broken client cannot flood the journal. Every adapter passes peer text through here.
/// </summary>
internal static class PeerText
{
    /// <summary>The most characters of peer text that reach a log line.</summary>
    public const int MaxLength = 200;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        var shown = 0;
        foreach (var c in text)
        {
            if (shown >= MaxLength)
            {
                builder.Append(CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
                break;
            }

            if (char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }

            shown++;
        }

        return builder.ToString();
    }
}
