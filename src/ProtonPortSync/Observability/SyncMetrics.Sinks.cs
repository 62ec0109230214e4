using ProtonPortSync.Sinks;

namespace ProtonPortSync.Observability;

/// <summary>The per-sink series (label <c>sink</c>: "file:/run/port", "hook:1"); the original six names are untouched.</summary>
internal sealed partial class SyncMetrics : ISinkObserver
{
    private MetricFamily? _sinkUpdates;
    private MetricFamily? _sinkFailures;
    private MetricFamily? _sinkPort;
    private MetricFamily? _sinkInSync;

    public void SinkApplied(string sink, int port, bool succeeded)
    {
        if (_sinkUpdates is null || !_sinkUpdates.Samples.Any(s => s.LabelValue == sink))
        {
            return;
        }

        _sinkUpdates[sink].Add(1);
        _sinkInSync![sink].Set(succeeded ? 1 : 0);
        if (succeeded)
        {
            _sinkPort![sink].Set(port);
        }
        else
        {
            _sinkFailures![sink].Add(1);
        }
    }

    /// <summary>Every sink's series, at 0 from the start (so rate() sees the first event); none without sinks.</summary>
    private MetricFamily[] SinkFamilies(IReadOnlyList<string> sinks)
    {
        if (sinks.Count == 0)
        {
            return [];
        }

        _sinkUpdates = MetricFamily.Labelled(MetricNames.SinkUpdates, "Attempts to bring a port file or hook to the forwarded port, by sink.", MetricType.Counter, MetricNames.SinkLabel, sinks);
        _sinkFailures = MetricFamily.Labelled(MetricNames.SinkFailures, "Failed attempts (write error, hook exit code, timeout), by sink.", MetricType.Counter, MetricNames.SinkLabel, sinks);
        _sinkPort = MetricFamily.Labelled(MetricNames.SinkPort, "Port a port file or hook last took successfully (0 before the first).", MetricType.Gauge, MetricNames.SinkLabel, sinks);
        _sinkInSync = MetricFamily.Labelled(MetricNames.SinkInSync, "1 when the sink's last attempt succeeded, else 0.", MetricType.Gauge, MetricNames.SinkLabel, sinks);
        return [_sinkUpdates, _sinkFailures, _sinkPort, _sinkInSync];
    }
}
