using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Recovery;

/// <summary>Validation only; the D-Bus exchanges run against a real private bus in the integration tests.</summary>
public sealed class SystemdUnitRestartActionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("wg quick@wg0.service")]
    [InlineData("../wg0.service")]
    public void Ctor_BadUnitName_ThrowsPointingAtWgUnit(string unit)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SystemdUnitRestartAction(unit, new FakeTimeProvider(), NullLogger.Instance));
        Assert.Contains("--wg-unit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ZeroTimeout_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new SystemdUnitRestartAction("wg-quick@wg0.service", new FakeTimeProvider(), NullLogger.Instance, timeout: TimeSpan.Zero));
    }

    [Fact]
    public async Task Ctor_Defaults_DescribeUnitAndUseExplicitAddress()
    {
        await using var action = new SystemdUnitRestartAction(
            "wg-quick@wg0.service", new FakeTimeProvider(), NullLogger.Instance, busAddress: "unix:path=/nonexistent/bus");
        Assert.Equal("restart wg-quick@wg0.service over D-Bus", action.Description);
        Assert.Equal("unix:path=/nonexistent/bus", action.BusAddress);
        Assert.Equal(SystemdUnitRestartAction.DefaultTimeout, action.Timeout);
    }
}
