using System.Net;

namespace ProtonPortSync.Sinks;

/// <summary>What a sink is asked to carry: the forwarded port, and the gateway's public address when known.</summary>
internal sealed record PortUpdate(int Port, IPAddress? PublicAddress);

/// <summary>
/// One consumer of the forwarded port besides the torrent client: a port file, a hook. Each runs on its own
/// <see cref="SinkWorker"/>, so a slow or failing sink holds up nothing else. A sink is one small type.
/// </summary>
internal interface IPortSink
{
    /// <summary>A stable, low-cardinality name for logs, /status and the metrics' <c>sink</c> label ("file:/run/port", "hook:1").</summary>
    string Name { get; }

    /// <summary>"file" or "hook".</summary>
    string Kind { get; }

    /// <summary>
    /// True for a level-triggered sink (a file: checked again every cycle and repaired if it drifted); false for an
    /// edge-triggered one (a hook: run once per port, again only after a failure).
    /// </summary>
    bool Recheck { get; }

    /// <summary>How long one <see cref="ApplyAsync"/> may take before it is cancelled.</summary>
    TimeSpan Timeout { get; }

    /// <summary>
    /// Brings the sink to <paramref name="update"/>; <paramref name="previousPort"/> is the port it last took
    /// successfully, if any. Throws <see cref="SinkException"/> (with a message for the operator) when it failed.
    /// </summary>
    Task ApplyAsync(PortUpdate update, int? previousPort, CancellationToken cancellationToken);
}

/// <summary>A sink could not take the port; the message says why and never holds a secret.</summary>
internal sealed class SinkException(string message, Exception? innerException = null) : Exception(message, innerException);
