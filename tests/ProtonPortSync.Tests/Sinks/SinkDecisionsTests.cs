using ProtonPortSync.Sinks;

namespace ProtonPortSync.Tests.Sinks;

public sealed class SinkDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SinkSettings Settings = new(TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1));

    [Fact]
    public void IsDue_NeverApplied_Due()
        => Assert.True(SinkDecisions.IsDue(SinkState.Initial, 40000, T0, recheck: false));

    [Fact]
    public void IsDue_HookAlreadyRanForThisPort_NotDueEvenMuchLater()
    {
        var state = SinkDecisions.AfterSuccess(SinkState.Initial, 40000, T0, recheck: false, Settings);

        Assert.False(SinkDecisions.IsDue(state, 40000, T0.AddDays(1), recheck: false));
        Assert.True(SinkDecisions.IsDue(state, 40001, T0, recheck: false));
    }

    [Fact]
    public void IsDue_FileAppliedThisPort_DueAgainAtTheRecheck()
    {
        var state = SinkDecisions.AfterSuccess(SinkState.Initial, 40000, T0, recheck: true, Settings);

        Assert.False(SinkDecisions.IsDue(state, 40000, T0.AddSeconds(44), recheck: true));
        Assert.True(SinkDecisions.IsDue(state, 40000, T0.AddSeconds(45), recheck: true));
    }

    [Fact]
    public void IsDue_FailedAtThisPort_RetriedAfterTheBackoffOrAtOnceForANewPort()
    {
        var state = SinkDecisions.AfterFailure(SinkState.Initial, 40000, "exit 1", T0, Settings);

        Assert.False(SinkDecisions.IsDue(state, 40000, T0.AddMilliseconds(999), recheck: false));
        Assert.True(SinkDecisions.IsDue(state, 40000, T0.AddSeconds(1), recheck: false));
        Assert.True(SinkDecisions.IsDue(state, 40001, T0, recheck: false));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(7, 60)] // 64 s capped at the one-minute maximum
    [InlineData(50, 60)]
    public void AfterFailure_BackoffDoublesUpToTheCap(int failures, int expectedSeconds)
    {
        var state = SinkState.Initial;
        for (var i = 0; i < failures; i++)
        {
            state = SinkDecisions.AfterFailure(state, 40000, "x", T0, Settings);
        }

        Assert.Equal(failures, state.Failures);
        Assert.Equal(T0.AddSeconds(expectedSeconds), state.RetryAt);
    }

    [Fact]
    public void AfterFailure_FileThatHeldThePortBreaks_NoLongerCountsAsApplied()
    {
        var state = SinkDecisions.AfterSuccess(SinkState.Initial, 40000, T0, recheck: true, Settings);

        var next = SinkDecisions.AfterFailure(state, 40000, "read-only", T0.AddSeconds(45), Settings);

        Assert.Null(next.AppliedPort);
        Assert.Equal("read-only", next.LastError);
    }

    [Fact]
    public void AfterFailure_HookFailsOnANewPort_RemembersTheLastPortItOpened()
    {
        var state = SinkDecisions.AfterSuccess(SinkState.Initial, 40000, T0, recheck: false, Settings);

        Assert.Equal(40000, SinkDecisions.AfterFailure(state, 40001, "exit 1", T0, Settings).AppliedPort);
    }

    [Fact]
    public void NextWake_EarliestOfRetryRecheckAndMaxSleep()
    {
        Assert.Equal(T0 + SinkSettings.MaxSleep, SinkDecisions.NextWake(SinkState.Initial, T0));
        Assert.Equal(T0.AddSeconds(45), SinkDecisions.NextWake(SinkDecisions.AfterSuccess(SinkState.Initial, 1, T0, recheck: true, Settings), T0));
        Assert.Equal(T0.AddSeconds(1), SinkDecisions.NextWake(SinkDecisions.AfterFailure(SinkState.Initial, 1, "x", T0, Settings), T0));
    }
}
