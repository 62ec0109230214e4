namespace ProtonPortSync.Sinks;

/// <summary>Where one sink stands, as an immutable value; <see cref="SinkDecisions"/> are pure functions over it.</summary>
internal sealed record SinkState
{
    public static readonly SinkState Initial = new();

    /// <summary>The port the sink last took successfully.</summary>
    public int? AppliedPort { get; init; }

    /// <summary>The port of the last attempt, successful or not.</summary>
    public int? AttemptedPort { get; init; }

    /// <summary>Failed attempts in a row.</summary>
    public int Failures { get; init; }

    /// <summary>After a failure: no new attempt at the same port before this time.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>A level-triggered sink is checked again at this time.</summary>
    public DateTimeOffset? NextRecheckAt { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    public string? LastError { get; init; }
}

/// <summary>The timing of the sink workers.</summary>
/// <param name="RecheckInterval">How often a level-triggered sink (a file) is checked again: one cycle of the loop.</param>
/// <param name="MaxBackoff">The longest wait before a failed sink is tried again at the same port.</param>
internal sealed record SinkSettings(TimeSpan RecheckInterval, TimeSpan MaxBackoff)
{
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>A worker with nothing due still wakes this often (a cheap no-op), so a lost signal costs a minute at most.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);
}

/// <summary>When a sink is due and what its state becomes: pure functions, tested without I/O.</summary>
internal static class SinkDecisions
{
    /// <summary>
    /// A new port is due at once; the same port again only after the backoff of a failure, or, for a
    /// level-triggered sink, at its recheck time.
    /// </summary>
    public static bool IsDue(SinkState state, int port, DateTimeOffset now, bool recheck)
    {
        if (state.AppliedPort != port)
        {
            return state.AttemptedPort != port || state.RetryAt is not { } retry || now >= retry;
        }

        return recheck && (state.NextRecheckAt is not { } next || now >= next);
    }

    public static SinkState AfterSuccess(SinkState state, int port, DateTimeOffset now, bool recheck, SinkSettings settings) => state with
    {
        AppliedPort = port,
        AttemptedPort = port,
        Failures = 0,
        RetryAt = null,
        NextRecheckAt = recheck ? now + settings.RecheckInterval : null,
        LastSuccessAt = now,
        LastError = null,
    };

    /// <summary>
    /// After a failure: back off 1 s, doubling, up to <see cref="SinkSettings.MaxBackoff"/>. A file that was right
    /// and is now unwritable no longer holds the port as far as anyone knows, so it counts as not applied.
    /// </summary>
    public static SinkState AfterFailure(SinkState state, int port, string error, DateTimeOffset now, SinkSettings settings)
    {
        var failures = state.Failures + 1;
        var backoff = TimeSpan.FromSeconds(Math.Pow(2, Math.Clamp(failures - 1, 0, 20)));
        return state with
        {
            AppliedPort = state.AppliedPort == port ? null : state.AppliedPort,
            AttemptedPort = port,
            Failures = failures,
            RetryAt = now + (backoff < settings.MaxBackoff ? backoff : settings.MaxBackoff),
            LastError = error,
        };
    }

    /// <summary>When the worker must wake next if nothing is offered: a retry, a recheck, or at the latest MaxSleep.</summary>
    public static DateTimeOffset NextWake(SinkState state, DateTimeOffset now)
    {
        var wake = now + SinkSettings.MaxSleep;
        if (state.RetryAt is { } retry && state.Failures > 0 && retry < wake)
        {
            wake = retry;
        }

        if (state.NextRecheckAt is { } next && next < wake)
        {
            wake = next;
        }

        return wake < now ? now : wake;
    }
}
