using Prometheus;
using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Observability;

/// <summary>The per-sink series (label <c>sink</c>); the original six names are untouched.</summary>
internal sealed partial class SyncMetrics : ISinkObserver
{
    private readonly Counter _sinkUpdates;
    private readonly Gauge _sinkPort;
    private readonly Gauge _sinkInSync;

    /// <summary>Creates every sink's series at 0, so dashboards and rate() see them before the first event.</summary>
    public void AddSinks(IEnumerable<string> sinks)
    {
        foreach (var sink in sinks)
        {
            _sinkPort.WithLabels(sink).Set(0);
            _sinkInSync.WithLabels(sink).Set(0);
            foreach (var outcome in (ClientUpdateOutcome[])[ClientUpdateOutcome.Success, ClientUpdateOutcome.Failure])
            {
                _sinkUpdates.WithLabels(sink, MetricLabels.Outcome(outcome));
            }
        }
    }

    public void SinkApplied(string sink, int port, bool succeeded)
    {
        _sinkUpdates.WithLabels(sink, MetricLabels.Outcome(succeeded ? ClientUpdateOutcome.Success : ClientUpdateOutcome.Failure)).Inc();
        _sinkInSync.WithLabels(sink).Set(succeeded ? 1 : 0);
        if (succeeded)
        {
            _sinkPort.WithLabels(sink).Set(port);
        }
    }
}
