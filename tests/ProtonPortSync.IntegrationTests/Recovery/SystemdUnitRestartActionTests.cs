using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.IntegrationTests.Recovery;

/// <summary>
/// RestartUnit over a real private dbus-daemon, answered by a stand-in for systemd's Manager. Every failure case
/// must end within its bound, never hang.
/// </summary>
[Collection(DbusEnvironmentGroup.Name)]
public sealed class SystemdUnitRestartActionTests
{
    private const string Unit = "wg-quick@wg0.service";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RecoverAsync_SystemdOnBus_CallsRestartUnitWithReplace()
    {
        await using var bus = await PrivateDbus.StartAsync();
        using var systemd = await PrivateDbusSystemdStandIn.StartAsync(bus.Address);
        await using var action = Create(bus.Address);

        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);

        Assert.Equal([(Unit, "replace"), (Unit, "replace")], systemd.Calls);
    }

    [Theory]
    [InlineData(StandInReply.AccessDenied)]
    [InlineData(StandInReply.InteractiveAuthorizationRequired)]
    public async Task RecoverAsync_NotAuthorized_ThrowsPolkitAdvice(StandInReply reply)
    {
        await using var bus = await PrivateDbus.StartAsync();
        using var systemd = await PrivateDbusSystemdStandIn.StartAsync(bus.Address, reply);
        await using var action = Create(bus.Address);

        var ex = await Assert.ThrowsAsync<RecoveryException>(() => action.RecoverAsync(RecoveryContext.None, CancellationToken.None));

        Assert.StartsWith($"the service user may not restart {Unit}: install the polkit rule (deploy/polkit) or run with permission", ex.Message, StringComparison.Ordinal);
        Assert.Single(systemd.Calls);
    }

    [Fact]
    public async Task RecoverAsync_NoSuchUnit_ThrowsCheckWgUnit()
    {
        await using var bus = await PrivateDbus.StartAsync();
        using var systemd = await PrivateDbusSystemdStandIn.StartAsync(bus.Address, StandInReply.NoSuchUnit);
        await using var action = Create(bus.Address);

        var ex = await Assert.ThrowsAsync<RecoveryException>(() => action.RecoverAsync(RecoveryContext.None, CancellationToken.None));

        Assert.StartsWith($"unit {Unit} does not exist: check --wg-unit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverAsync_NoSystemdOnBus_ThrowsNoBusAdviceAtOnce()
    {
        await using var bus = await PrivateDbus.StartAsync();
        await using var action = Create(bus.Address);

        var ex = await AssertFailsWithinAsync(action, CallTimeout);

        Assert.StartsWith($"no system D-Bus at {bus.Address} (systemd is not on that bus", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("use --recovery-command or --recovery none on hosts without systemd", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverAsync_BusDown_ThrowsNoBusAdviceAtOnce()
    {
        await using var bus = await PrivateDbus.StartAsync();
        var address = bus.Address;
        bus.Stop();
        await using var action = Create(address);

        var ex = await AssertFailsWithinAsync(action, CallTimeout);

        Assert.StartsWith($"no system D-Bus at {address} (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("use --recovery-command or --recovery none on hosts without systemd", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverAsync_SystemdNeverAnswers_TimesOutWithinBound()
    {
        await using var bus = await PrivateDbus.StartAsync();
        using var systemd = await PrivateDbusSystemdStandIn.StartAsync(bus.Address, StandInReply.Never);
        await using var action = Create(bus.Address, TimeSpan.FromMilliseconds(300));

        var ex = await AssertFailsWithinAsync(action, TimeSpan.FromSeconds(3));

        Assert.Contains("did not answer RestartUnit(wg-quick@wg0.service) within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.Single(systemd.Calls);
    }

    [Fact]
    public async Task RecoverAsync_BusRestartedBetweenCalls_Reconnects()
    {
        await using var bus = await PrivateDbus.StartAsync();
        using var first = await PrivateDbusSystemdStandIn.StartAsync(bus.Address);

        // Without the daemon's guid, as the system bus address is written: the new daemon has another guid.
        await using var action = Create($"unix:path={bus.SocketPath}");
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
        first.Dispose();

        await bus.RestartAsync();
        using var second = await PrivateDbusSystemdStandIn.StartAsync(bus.Address);

        // The kept connection died with the old daemon; the action notices and connects to the new one.
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
        Assert.Equal([(Unit, "replace")], second.Calls);
        Assert.Single(first.Calls);
    }

    [Fact]
    public async Task RecoverAsync_NoExplicitAddress_HonoursDbusSystemBusAddress()
    {
        await using var bus = await PrivateDbus.StartAsync();
        using var systemd = await PrivateDbusSystemdStandIn.StartAsync(bus.Address);
        var saved = Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS");
        Environment.SetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS", bus.Address);
        try
        {
            await using var action = Create(busAddress: null);
            Assert.Equal(bus.Address, action.BusAddress);
            await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
            Assert.Single(systemd.Calls);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS", saved);
        }
    }

    private static SystemdUnitRestartAction Create(string? busAddress, TimeSpan? timeout = null)
        => new(Unit, TimeProvider.System, NullLogger.Instance, busAddress, timeout ?? CallTimeout);

    private static async Task<RecoveryException> AssertFailsWithinAsync(SystemdUnitRestartAction action, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RecoveryException>(() => action.RecoverAsync(RecoveryContext.None, CancellationToken.None).WaitAsync(bound * 2));
        Assert.True(watch.Elapsed < bound, $"took {watch.Elapsed}, bound {bound}");
        return ex;
    }
}

/// <summary>One test here changes DBUS_SYSTEM_BUS_ADDRESS for the process; nothing else in this collection runs beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DbusEnvironmentGroup
{
    public const string Name = "process environment: DBUS_SYSTEM_BUS_ADDRESS";
}
