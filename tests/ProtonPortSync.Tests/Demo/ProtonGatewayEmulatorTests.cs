using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Demo;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Tests.Demo;

/// <summary>The emulator's socket on loopback: bound endpoint, replies to the sender, playing dead. Time is fake.</summary>
public sealed class ProtonGatewayEmulatorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Start_PortZero_ExposesTheBoundLoopbackPort()
    {
        await using var emulator = ProtonGatewayEmulator.Start(new FakeTimeProvider());
        Assert.Equal(IPAddress.Loopback, emulator.LocalEndPoint.Address);
        Assert.NotEqual(0, emulator.LocalEndPoint.Port);
    }

    [Fact]
    public async Task MapRequest_OverLoopback_RepliesFromTheGatewayPort()
    {
        var time = new FakeTimeProvider();
        await using var emulator = ProtonGatewayEmulator.Start(time, random: new ScriptedRandom(40010));
        time.Advance(TimeSpan.FromSeconds(7));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(Convert.FromHexString("000200000000000100000E10"), emulator.LocalEndPoint);
        var reply = await client.ReceiveAsync().WaitAsync(Bound);

        Assert.Equal(emulator.LocalEndPoint, reply.RemoteEndPoint);
        Assert.Equal(Convert.FromHexString("00820000000000070000" + "9C4A" + "0000003C"), reply.Buffer);
        Assert.Equal(1, emulator.RequestCount(NatPmpOpcode.MapTcp));
    }

    [Fact]
    public async Task SetUnresponsive_DropsRequestsUntilCleared()
    {
        await using var emulator = ProtonGatewayEmulator.Start(new FakeTimeProvider(), random: new ScriptedRandom(40010));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        emulator.SetUnresponsive(true);
        await client.SendAsync(Convert.FromHexString("0000"), emulator.LocalEndPoint);
        await PollAsync(() => emulator.DroppedCount == 1);
        emulator.SetUnresponsive(false);
        await client.SendAsync(Convert.FromHexString("00010000 1234 0001 0000003C".Replace(" ", "", StringComparison.Ordinal)), emulator.LocalEndPoint);

        // The first reply to arrive answers the second request: the first was dropped, not delayed.
        var reply = await client.ReceiveAsync().WaitAsync(Bound);
        Assert.Equal(Convert.FromHexString("00810000000000001234" + "9C4A" + "0000003C"), reply.Buffer);
        Assert.Equal(0, emulator.RequestCount(NatPmpOpcode.PublicAddress));
        Assert.Equal(1, emulator.DroppedCount);
    }

    [Fact]
    public async Task Start_EndPointInUse_ThrowsWithAdvice()
    {
        await using var first = ProtonGatewayEmulator.Start(new FakeTimeProvider());
        var ex = Assert.Throws<InvalidOperationException>(
            () => ProtonGatewayEmulator.Start(new FakeTimeProvider(), new ProtonGatewayEmulatorOptions { EndPoint = first.LocalEndPoint }));
        Assert.Contains("port 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_Twice_StopsOnce()
    {
        var emulator = ProtonGatewayEmulator.Start(new FakeTimeProvider());
        await emulator.DisposeAsync();
        await emulator.DisposeAsync();
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(emulator.LocalEndPoint); // the port is free again
        Assert.Equal(emulator.LocalEndPoint.Port, ((IPEndPoint)probe.LocalEndPoint!).Port);
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Yield();
            await Task.Delay(10);
        }

        Assert.True(condition(), "condition not met within the bounded poll");
    }
}
