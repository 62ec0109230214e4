using Microsoft.Extensions.Logging;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Sinks;

/// <summary>
/// The port files and hooks of one run, each on its own <see cref="SinkWorker"/>. Listens to the loop: every
/// granted mapping (and every heartbeat with a live one) is offered to every worker, which returns at once.
/// </summary>
internal sealed class SinkSet : ISyncObserver, IAsyncDisposable
{
    private readonly IReadOnlyList<SinkWorker> _workers;

    public SinkSet(IEnumerable<IPortSink> sinks, SinkSettings settings, ISinkObserver observer, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<SinkWorker>();
        _workers = [.. sinks.Select(s => new SinkWorker(s, settings, observer, time, logger))];
    }

    public IReadOnlyList<SinkWorker> Workers => _workers;

    /// <summary>Every sink's status, in the order given on the command line.</summary>
    public IReadOnlyList<SinkStatus> Statuses() => [.. _workers.Select(w => w.Status)];

    public void Start()
    {
        foreach (var w in _workers)
        {
            w.Start();
        }
    }

    public void MappingRenewed(SyncState state) => Offer(state);

    public void Heartbeat(SyncState state, DateTimeOffset now) => Offer(state);

    public async ValueTask DisposeAsync()
    {
        foreach (var w in _workers)
        {
            await w.DisposeAsync();
        }
    }

    private void Offer(SyncState state)
    {
        // A lapsed lease leaves the sinks on their last port: nothing better is known, and a hook would only flap.
        if (state.MappedPort is not { } port)
        {
            return;
        }

        var update = new PortUpdate(port, state.PublicAddress);
        foreach (var w in _workers)
        {
            w.Offer(update);
        }
    }
}
