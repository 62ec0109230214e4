using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Cli;

/// <summary>
/// One log event as one line, in the two forms Microsoft.Extensions.Logging.Console wrote: its systemd formatter
/// (<c>&lt;6&gt;Category[1001] message</c>: journald reads the syslog priority prefix) and its single-line simple
/// formatter with a local time stamp (<c>12:34:56.789 info: Category[1001] message</c>). Line breaks inside the message
/// or the exception become spaces, because journald and line readers treat each line as an entry.
/// </summary>
internal static class LogLineFormat
{
    public const string TimestampFormat = "HH:mm:ss.fff ";

    /// <summary>The line for one event, ending in a line feed; null when there is neither a message nor an exception.</summary>
    public static string? Format(bool journald, LogLevel level, string category, int eventId, string? message, Exception? exception, DateTimeOffset now)
    {
        if (message is null && exception is null)
        {
            return null;
        }

        var prefix = journald ? Priority(level) : now.ToString(TimestampFormat, CultureInfo.InvariantCulture) + ShortName(level) + ": ";
        var line = new StringBuilder(prefix.Length + category.Length + 16 + (message?.Length ?? 0));
        line.Append(prefix).Append(category).Append('[').Append(eventId.ToString(CultureInfo.InvariantCulture)).Append(']');
        AppendOnOneLine(line, message);
        AppendOnOneLine(line, exception?.ToString());
        return line.Append('\n').ToString();
    }

    /// <summary>The syslog priority journald reads from the start of a line (sd-daemon(3)).</summary>
    public static string Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => "<2>",
        LogLevel.Error => "<3>",
        LogLevel.Warning => "<4>",
        LogLevel.Information => "<6>",
        _ => "<7>",
    };

    public static string ShortName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString(),
    };

    private static void AppendOnOneLine(StringBuilder line, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            line.Append(' ').Append(text.Replace(Environment.NewLine, " ", StringComparison.Ordinal));
        }
    }
}
