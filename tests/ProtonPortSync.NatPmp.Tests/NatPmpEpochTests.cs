namespace ProtonPortSync.NatPmp.Tests;

public class NatPmpEpochTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsReset_FirstReply_False()
        => Assert.False(NatPmpEpoch.IsReset(null, 0, T0));

    [Theory]
    [InlineData(1000u, 45.0, 1045u, false)] // clocks agree
    [InlineData(1000u, 45.0, 1038u, false)] // estimate 1000 + 45 × 7/8 = 1039.375; 1.375 s below
    [InlineData(1000u, 45.0, 1037u, true)] // 2.375 s below the conservative estimate
    [InlineData(1000u, 0.0, 998u, false)] // exactly 2 s below: not more than 2 s
    [InlineData(1000u, 0.0, 997u, true)]
    [InlineData(5000u, 60.0, 3u, true)] // gateway restarted
    public void IsReset_Rfc6886Section36Rule(uint previous, double elapsedSeconds, uint current, bool expected)
    {
        var last = new NatPmpEpoch(previous, T0);

        var reset = NatPmpEpoch.IsReset(last, current, T0.AddSeconds(elapsedSeconds));

        Assert.Equal(expected, reset);
    }

    [Fact]
    public void IsReset_LocalClockWentBack_TreatsElapsedAsZero()
        => Assert.False(NatPmpEpoch.IsReset(new NatPmpEpoch(100, T0), 99, T0.AddSeconds(-30)));
}
