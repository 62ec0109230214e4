using Microsoft.Extensions.Logging;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.Fakes;

/// <summary>A logger for the qBittorrent adapter that keeps every entry so tests can assert on levels, ids and text.</summary>
internal sealed class CapturingLogger : ILogger<QBittorrentClient>
{
    public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
        }
    }

    public int Count(int eventId)
    {
        lock (Entries)
        {
            return Entries.Count(e => e.EventId == eventId);
        }
    }

    public string AllText()
    {
        lock (Entries)
        {
            return string.Join('\n', Entries.Select(e => e.Message));
        }
    }
}
