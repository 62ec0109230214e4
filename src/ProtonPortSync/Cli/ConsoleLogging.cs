using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Cli;

/// <summary>
/// Logs to stderr (stdout is for results such as probe --json): with journald priority prefixes when systemd
/// captures the output (JOURNAL_STREAM set), one line per message with a time stamp on a terminal.
/// </summary>
/// <remarks>
/// Hand-written instead of Microsoft.Extensions.Logging.Console, which brings dependency injection, options,
/// configuration and a queue thread for what is one line per event here (benchmarks/footprint/README.md). The lines
/// are the ones its systemd and single-line simple formatters wrote; the [LoggerMessage] generator still works on
/// Microsoft.Extensions.Logging.Abstractions.
/// </remarks>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel level, Func<string, string?> environment)
        => Create(level, environment, Console.Error, TimeProvider.System);

    public static ILoggerFactory Create(LogLevel level, Func<string, string?> environment, TextWriter stderr, TimeProvider time)
    {
        var underSystemd = !string.IsNullOrEmpty(environment("JOURNAL_STREAM")) || !string.IsNullOrEmpty(environment("INVOCATION_ID"));
        return new LineLoggerFactory(level, underSystemd, stderr, time);
    }
}
