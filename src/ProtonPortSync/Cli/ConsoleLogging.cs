using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ProtonPortSync.Cli;

/// <summary>
/// Logs to stderr (stdout is for results such as probe --json): with journald priority prefixes when systemd
/// captures the output (JOURNAL_STREAM set), one line per message with a time stamp on a terminal.
/// </summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel level, Func<string, string?> environment)
    {
        var underSystemd = !string.IsNullOrEmpty(environment("JOURNAL_STREAM")) || !string.IsNullOrEmpty(environment("INVOCATION_ID"));
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            if (underSystemd)
            {
                builder.AddSystemdConsole(o => o.UseUtcTimestamp = true);
            }
            else
            {
                builder.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                });
            }
        });
    }
}
