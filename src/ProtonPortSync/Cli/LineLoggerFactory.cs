using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Cli;

/// <summary>
/// Loggers that write each event enabled at the minimum level or above as one line (<see cref="LogLineFormat"/>), at
/// once, on the caller's thread: no queue thread, since the daemon logs a few lines a minute, and nothing is lost at exit.
/// </summary>
internal sealed class LineLoggerFactory : ILoggerFactory
{
    private readonly LogLevel _minimum;
    private readonly bool _journald;
    private readonly TextWriter _output;
    private readonly TimeProvider _time;

    public LineLoggerFactory(LogLevel minimum, bool journald, TextWriter output, TimeProvider time)
    {
        _minimum = minimum;
        _journald = journald;
        _output = output;
        _time = time;
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
        => throw new NotSupportedException("proton-port-sync writes its log lines itself; it takes no other logger provider.");

    public void Dispose()
    {
    }

    private bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= _minimum;

    private void Write(LogLevel level, string category, int eventId, string? message, Exception? exception)
    {
        var line = LogLineFormat.Format(_journald, level, category, eventId, message, exception, _time.GetLocalNow());
        if (line is null)
        {
            return;
        }

        // One Write per line, under a lock: lines from several threads never interleave, whatever the writer.
        lock (_output)
        {
            _output.Write(line);
            _output.Flush();
        }
    }

    private sealed class LineLogger(LineLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => factory.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (factory.IsEnabled(logLevel))
            {
                factory.Write(logLevel, category, eventId.Id, formatter(state, exception), exception);
            }
        }
    }
}
