namespace ProtonPortSync.NatPmp.Tests;

public sealed class NatPmpEpochEdgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsReset_LocalClockWentBackAndEpochDroppedMoreThan2s_StillAReset()
    {
        // The local clock went back 16 s. Taken at face value, the estimate would be 100 - 14 = 86 and an SSSoE of
        // 97 would pass; with the elapsed time clamped to 0 the estimate stays 100 and 97 is 3 s below it.
        var previous = new NatPmpEpoch(100, T0);

        Assert.True(NatPmpEpoch.IsReset(previous, 97, T0.AddSeconds(-16)));
        Assert.False(NatPmpEpoch.IsReset(previous, 98, T0.AddSeconds(-16)));
    }
}
