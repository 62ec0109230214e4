using System.Buffers.Binary;
using ProtonPortSync.Sync;

namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>
/// A hostile gateway (issue 9): success replies with lifetime 0 or port 0, random bytes, mutations of valid replies,
/// and replies from the wrong address, then a healthy gateway. The daemon stays up, never writes an invalid port and
/// keeps its request rate bounded (the original daemon sent 129,802 requests in 10 s to a lifetime-0 gateway).
/// </summary>
public sealed class HostileGatewayTests
{
    private const ushort Port = 40123;

    [Fact]
    public async Task Daemon_HostileGatewayPhases_StaysUpWritesNothingInvalidBoundedRate()
    {
        using var rig = new DaemonUnderFault("hostile");
        var random = new Random(20261202);
        var phase = 0;
        rig.Gateway.Behaviour = request =>
        {
            var valid = rig.Gateway.Grant(request, Port);
            return Volatile.Read(ref phase) switch
            {
                0 => [new(rig.Gateway.Grant(request, Port, lifetime: 0))],
                1 => [new(rig.Gateway.Grant(request, 0))],
                2 => [new(RandomBytes(random))],
                3 => [new(Mutate(valid, random))],
                4 => [new(valid, FromWrongAddress: true)],
                _ => [new(valid)],
            };
        };

        for (var p = 0; p < 5; p++)
        {
            Volatile.Write(ref phase, p);

            // Each phase lasts four exchanges (two renewals), however slow the machine.
            Assert.True(await rig.Gateway.WaitForRequestsAsync(4, TimeSpan.FromSeconds(30)), rig.Daemon.Output);
            Assert.False(rig.Daemon.Process.HasExited, rig.Daemon.Output);
        }

        Assert.DoesNotContain(rig.Seen, s => s != $"{Port}\n");
        Assert.True(rig.Gateway.MaxRequestsPerSecond() <= 20, $"{rig.Gateway.MaxRequestsPerSecond()} requests within one second under hostile replies");
        Assert.Contains("granted no usable mapping", rig.Daemon.Output, StringComparison.Ordinal);

        // The hostile phases end with failures, and how they line up with the phases varies: the third in a row may have
        // started a recovery just before the healthy phase, whose cool-down (the default, 10 s) comes before the next try.
        Volatile.Write(ref phase, 5);
        Assert.True(await rig.WaitForPortAsync(Port, SyncSettings.DefaultRecoveryCooldown + TimeSpan.FromSeconds(8)), rig.Daemon.Output);
        rig.AssertSafe(Port);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 24)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One to three flips, overwrites or cuts of a valid reply; the port field kept 0 or valid is not required.</summary>
    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var at = random.Next(bytes.Length);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                default:
                    bytes = bytes[..at];
                    break;
            }

            if (bytes.Length == 0)
            {
                break;
            }
        }

        // A mutation that lands on a plausible grant of another port is a real grant, not an attack: keep the port.
        if (bytes.Length == 16)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), Port);
        }

        return bytes;
    }
}
