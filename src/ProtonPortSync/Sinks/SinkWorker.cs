using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Sinks;

/// <summary>
/// Keeps one sink on the latest offered port, on a task of its own: the renewal loop only offers (never waits), and
/// one sink failing or hanging never holds up another. One attempt at a time; a port offered during an attempt
/// is taken next (latest wins, the ones in between are skipped). Failures back off; nothing here is fatal.
/// </summary>
internal sealed partial class SinkWorker : IAsyncDisposable
{
    private readonly IPortSink _sink;
    private readonly SinkSettings _settings;
    private readonly ISinkObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _signal = NewSignal();
    private volatile PortUpdate? _desired;
    private volatile SinkState _state = SinkState.Initial;
    private Task _run = Task.CompletedTask;

    public SinkWorker(IPortSink sink, SinkSettings settings, ISinkObserver observer, TimeProvider time, ILogger logger)
    {
        _sink = sink;
        _settings = settings;
        _observer = observer;
        _time = time;
        _logger = logger;
    }

    public IPortSink Sink => _sink;

    public SinkState State => _state;

    /// <summary>The port the sink should carry, or null before the first mapping.</summary>
    public PortUpdate? Desired => _desired;

    /// <summary>Where the sink stands, for /status.</summary>
    public SinkStatus Status => SinkStatus.Of(_sink, _state, _desired);

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Asks for <paramref name="update"/>; returns at once. The same value again is a no-op.</summary>
    public void Offer(PortUpdate update)
    {
        if (update == _desired)
        {
            return;
        }

        _desired = update;
        Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();
    }

    /// <summary>One pass: applies the desired port if due. The worker's loop calls it; tests call it directly.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        if (_desired is not { } desired || !SinkDecisions.IsDue(_state, desired.Port, _time.GetUtcNow(), _sink.Recheck))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_sink.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string? error;
        try
        {
            await _sink.ApplyAsync(desired, _state.AppliedPort, linked.Token);
            error = null;
        }
        catch (SinkException ex)
        {
            error = ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"no result within {_sink.Timeout.TotalSeconds:0.#} s";
        }

        var now = _time.GetUtcNow();
        var before = _state;
        if (error is null)
        {
            _state = SinkDecisions.AfterSuccess(before, desired.Port, now, _sink.Recheck, _settings);
            if (before.AppliedPort != desired.Port || before.Failures > 0)
            {
                Log.Applied(_logger, _sink.Name, desired.Port);
                _observer.SinkApplied(_sink.Name, desired.Port, succeeded: true);
            }
        }
        else
        {
            _state = SinkDecisions.AfterFailure(before, desired.Port, error, now, _settings);
            Log.Failed(_logger, _sink.Name, desired.Port, error, _state.RetryAt!.Value);
            _observer.SinkApplied(_sink.Name, desired.Port, succeeded: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            // Taken before the step: an offer made during the step completes it, and the wait below ends at once.
            var signal = Volatile.Read(ref _signal).Task;
            try
            {
                await StepAsync(stopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug in a sink must not end the worker (or the daemon): log it and go on after the backoff.
                Log.Crashed(_logger, _sink.Name, ex);
                if (_desired is { } d)
                {
                    _state = SinkDecisions.AfterFailure(_state, d.Port, ex.Message, _time.GetUtcNow(), _settings);
                }
            }

            var now = _time.GetUtcNow();
            var wait = SinkDecisions.NextWake(_state, now) - now;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            await Task.WhenAny(signal, Task.Delay(wait, _time, wake.Token));
            await wake.CancelAsync();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Information, "Sink {Sink} now carries port {Port}")]
        public static partial void Applied(ILogger logger, string sink, int port);

        [LoggerMessage(8002, LogLevel.Warning, "Sink {Sink} failed to take port {Port}: {Error}; next try at {RetryAt:O} or at the next change")]
        public static partial void Failed(ILogger logger, string sink, int port, string error, DateTimeOffset retryAt);

        [LoggerMessage(8003, LogLevel.Error, "Sink {Sink} failed unexpectedly; it is tried again later")]
        public static partial void Crashed(ILogger logger, string sink, Exception exception);
    }
}
