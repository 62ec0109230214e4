using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Recovery;

public sealed class RecoveryTimeoutsTests
{
    private static readonly TimeSpan Request = TimeSpan.FromSeconds(5);

    [Fact]
    public void UnderWatchdog_NoWatchdog_KeepsTheRequestedTimeout()
        => Assert.Equal(TimeSpan.FromSeconds(60), RecoveryTimeouts.UnderWatchdog(TimeSpan.FromSeconds(60), Request, null));

    [Fact]
    public void UnderWatchdog_ShippedWatchdog_DefaultFitsUnchanged()
        => Assert.Equal(TimeSpan.FromSeconds(20), RecoveryTimeouts.UnderWatchdog(TimeSpan.FromSeconds(20), Request, TimeSpan.FromSeconds(30)));

    [Fact]
    public void UnderWatchdog_SlowCommandTimeout_CappedSoRenewalPlusRecoveryStayUnderOnePingInterval()
    {
        var capped = RecoveryTimeouts.UnderWatchdog(TimeSpan.FromSeconds(60), Request, TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(24), capped);
        Assert.True(TimeSpan.FromSeconds(30) + Request + capped < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void UnderWatchdog_TinyWatchdog_NeverBelowOneSecond()
        => Assert.Equal(TimeSpan.FromSeconds(1), RecoveryTimeouts.UnderWatchdog(TimeSpan.FromSeconds(20), Request, TimeSpan.FromSeconds(2)));
}
