using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;

namespace ProtonPortSync.Tests.Soak;

/// <summary>
/// Thirty days in simulated time: the loop against a scripted gateway and client that suffer random faults from the
/// issue's matrix (seeded, so a failure replays), checked at every step. PPS_SOAK_SEED replays one seed.
/// </summary>
public sealed class SoakTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromDays(30);

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        if (int.TryParse(Environment.GetEnvironmentVariable("PPS_SOAK_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
        {
            data.Add(seed);
            return data;
        }

        data.Add(1);
        data.Add(20261202);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Loop_ThirtyDaysOfRandomFaults_InSyncAfterEachFaultAndWithinCaps(int seed)
    {
        var random = new Random(seed);
        var time = new FakeTimeProvider(Start);
        var settings = new SyncSettings();
        var gateway = new SoakGateway(time);
        var client = new SoakClient(time);
        var recovery = new FakeRecoveryAction(time);
        var loop = new PortSyncLoop(gateway, client, recovery, new RecordingObserverSink(), settings, time, NullLogger<PortSyncLoop>.Instance);

        // One cycle: the longest a healthy loop can take to act after a fault ends (a capped recovery waits a renew
        // interval, a recovery a cooldown, a renewal its timeout, a failed one its retry delay).
        var cycle = settings.RenewInterval + settings.RecoveryCooldown + settings.RequestTimeout + settings.FailureRetryDelay;
        var fault = SoakFault.None;
        var faultEnds = Start + TimeSpan.FromMinutes(2);
        DateTimeOffset? repairedBy = null;
        var faults = 0;
        var steps = 0L;
        string Where() => $"seed {seed}, step {steps}, {time.GetUtcNow() - Start:d\\.hh\\:mm\\:ss} into the soak, fault {fault}";

        while (time.GetUtcNow() - Start < Duration)
        {
            var now = time.GetUtcNow();
            if (now >= faultEnds)
            {
                if (fault != SoakFault.None)
                {
                    // Healthy from now on: repaired within one cycle, or once the client's refusal backoff has run.
                    var refusal = client.RefusedUntil is { } r && r > now ? r : now;
                    repairedBy = refusal + cycle;
                    fault = SoakFault.None;
                    faultEnds = now + TimeSpan.FromMinutes(random.Next(2, 120));
                }
                else
                {
                    fault = (SoakFault)random.Next(1, Enum.GetValues<SoakFault>().Length);
                    faults++;
                    faultEnds = now + TimeSpan.FromSeconds(random.Next(5, 30 * 60));
                    repairedBy = null;
                    if (fault == SoakFault.ClientDrift)
                    {
                        client.ListenPort = random.Next(1024, 65536);
                    }
                }

                gateway.Fault = fault is SoakFault.GatewayTimeout or SoakFault.GatewayRefused or SoakFault.GatewayErrorResult or SoakFault.InvalidGrant or SoakFault.EpochReset or SoakFault.PortRotation ? fault : SoakFault.None;
                client.Fault = fault is SoakFault.ClientDown or SoakFault.ClientBadPassword ? fault : SoakFault.None;
            }

            var wake = SyncDecisions.NextWake(loop.State, time.GetUtcNow(), settings);
            if (wake > faultEnds)
            {
                wake = faultEnds;
            }

            time.Advance(wake - time.GetUtcNow());
            await loop.StepAsync(default);
            steps++;

            var state = loop.State;
            now = time.GetUtcNow();
            if (repairedBy is { } by && now >= by)
            {
                Assert.True(state.InSync && client.ListenPort == gateway.Port, $"not in sync one cycle after the fault ended ({Where()}): mapped {state.MappedPort}, client {client.ListenPort}, gateway {gateway.Port}");
            }

            Assert.True(SyncDecisions.RecentRecoveries(state, now).Length <= settings.MaxRecoveriesPerHour, $"recoveries over the hourly cap ({Where()})");
            Assert.True(state.Recoveries.Length <= settings.MaxRecoveriesPerHour, $"recovery history grows ({Where()})");
            Assert.True(recovery.Runs.Count(t => now - t < SyncSettings.RecoveryWindow) <= settings.MaxRecoveriesPerHour, $"recovery ran more than the cap in an hour ({Where()})");
            Assert.True(gateway.MaxRecent <= MaxRequestsPerWindow, $"{gateway.MaxRecent} gateway requests within {SoakInvariants.RateWindow} ({Where()})");
            Assert.True(client.CallsDuringBackoff == 0, $"client called during a refusal's backoff ({Where()})");
            Assert.True(client.InvalidPortsWritten.Count == 0, $"invalid port written: {string.Join(", ", client.InvalidPortsWritten)} ({Where()})");
            Assert.True((state.LastError?.Length ?? 0) < 2_000, $"last error grows ({Where()})");
        }

        Assert.True(faults > 100, $"only {faults} faults in 30 days (seed {seed})");

        // Recoveries, requests and client calls stayed proportionate to 30 days of 30-second renewals.
        Assert.True(gateway.Requests < Duration / TimeSpan.FromSeconds(1), $"{gateway.Requests} gateway requests (seed {seed})");
        Assert.True(client.Calls < Duration / TimeSpan.FromSeconds(1), $"{client.Calls} client calls (seed {seed})");
    }

    /// <summary>UDP + TCP + a public address request per renewal, renewals at least a second apart.</summary>
    private static int MaxRequestsPerWindow => 3 * ((int)(SoakInvariants.RateWindow / SyncDecisions.MinimumRenewalSpacing) + 1);

    /// <summary>An observer that keeps nothing: a 30-day run must not hold its event history.</summary>
    private sealed class RecordingObserverSink : ISyncObserver;
}
