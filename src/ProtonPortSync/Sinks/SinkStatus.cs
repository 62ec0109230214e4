namespace ProtonPortSync.Sinks;

/// <summary>One consumer of the port as /status shows it.</summary>
/// <param name="Name">"qbittorrent", "file:/run/port", "hook:1".</param>
/// <param name="Kind">"client", "file" or "hook".</param>
/// <param name="State">"in_sync", "pending" (not tried yet, or a new port on its way), "failing", or "idle" (no port yet).</param>
/// <param name="Port">The port it carries (last success), if any.</param>
/// <param name="WantedPort">The port it should carry.</param>
/// <param name="Failures">Failed attempts in a row.</param>
/// <param name="LastError">The last failure's message while failing.</param>
/// <param name="LastSuccessAt">When it last took a port.</param>
internal sealed record SinkStatus(string Name, string Kind, string State, int? Port, int? WantedPort, int Failures, string? LastError, DateTimeOffset? LastSuccessAt)
{
    public const string InSync = "in_sync";
    public const string Pending = "pending";
    public const string Failing = "failing";
    public const string Idle = "idle";

    public static SinkStatus Of(IPortSink sink, SinkState state, PortUpdate? desired)
    {
        var wanted = desired?.Port;
        var verdict = wanted is null ? Idle
            : state.Failures > 0 ? Failing
            : state.AppliedPort == wanted ? InSync
            : Pending;
        return new SinkStatus(sink.Name, sink.Kind, verdict, state.AppliedPort, wanted, state.Failures, state.Failures > 0 ? state.LastError : null, state.LastSuccessAt);
    }
}

/// <summary>What the sink workers report, for metrics. Called from the workers' tasks; must not throw.</summary>
internal interface ISinkObserver
{
    void SinkApplied(string sink, int port, bool succeeded);
}
