using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Tests.Processes;

/// <summary>Keeps every message and lets a test await the first one that contains a given text (an event, not a poll).</summary>
internal sealed class LineWaitingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiters = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Messages => _messages;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        _messages.Enqueue(message);
        foreach (var (text, waiter) in _waiters)
        {
            if (message.Contains(text, StringComparison.Ordinal))
            {
                waiter.TrySetResult(message);
            }
        }
    }

    /// <summary>The first message containing <paramref name="text"/>, logged before or after the call; bounded by 10 s.</summary>
    public Task<string> WaitForAsync(string text)
    {
        var waiter = _waiters.GetOrAdd(text, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_messages.FirstOrDefault(m => m.Contains(text, StringComparison.Ordinal)) is { } earlier)
        {
            waiter.TrySetResult(earlier);
        }

        return waiter.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
