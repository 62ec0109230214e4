using ProtonPortSync.Sinks;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Observability;

/// <summary>The per-sink series (label <c>sink</c>); the original six names are untouched.</summary>
internal sealed partial class SyncMetrics : ISinkObserver
{
    private static readonly ClientUpdateOutcome[] SinkOutcomes = [ClientUpdateOutcome.Success, ClientUpdateOutcome.Failure];

    private MetricFamily? _sinkUpdates;
    private MetricFamily? _sinkPort;
    private MetricFamily? _sinkInSync;
    private MetricFamily[] _sinkFamilies = [];

    /// <summary>
    /// Creates every sink's series at 0, so dashboards and rate() see them before the first event. Called once, when
    /// the daemon is built and before anything is served or applied.
    /// </summary>
    public void AddSinks(IEnumerable<string> sinks)
    {
        var names = sinks.ToArray();
        if (names.Length == 0)
        {
            return;
        }

        _sinkUpdates = MetricFamily.Labelled(
            MetricNames.SinkUpdates,
            "Attempts to bring a port file or hook to the forwarded port, by sink and outcome.",
            MetricType.Counter,
            (MetricNames.SinkLabel, MetricNames.OutcomeLabel),
            names.SelectMany(s => SinkOutcomes.Select(o => (s, MetricLabels.Outcome(o)))));
        _sinkPort = MetricFamily.Labelled(MetricNames.SinkPort, "Port a port file or hook last took successfully (0 before the first).", MetricType.Gauge, MetricNames.SinkLabel, names);
        _sinkInSync = MetricFamily.Labelled(MetricNames.SinkInSync, "1 when the sink's last attempt succeeded, else 0.", MetricType.Gauge, MetricNames.SinkLabel, names);
        _sinkFamilies = [_sinkUpdates, _sinkPort, _sinkInSync];
    }

    public void SinkApplied(string sink, int port, bool succeeded)
    {
        if (_sinkUpdates is null || _sinkPort is null || _sinkInSync is null)
        {
            return;
        }

        _sinkUpdates[MetricFamily.Pair(sink, MetricLabels.Outcome(succeeded ? ClientUpdateOutcome.Success : ClientUpdateOutcome.Failure))].Add(1);
        _sinkInSync[sink].Set(succeeded ? 1 : 0);
        if (succeeded)
        {
            _sinkPort[sink].Set(port);
        }
    }
}
