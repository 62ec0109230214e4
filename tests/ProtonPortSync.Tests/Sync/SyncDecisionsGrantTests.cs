using CsCheck;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Sync;

/// <summary>Scheduling under hostile grants: never on more lifetime than was asked, never sooner than the minimum spacing.</summary>
public class SyncDecisionsGrantTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static NatPmpMapping Mapping(NatPmpProtocol p, int port, int lifetime, int? asked = 60)
        => new(p, 0, (ushort)port, TimeSpan.FromSeconds(lifetime), 1, T0, false) { RequestedLifetime = asked is { } a ? TimeSpan.FromSeconds(a) : null };

    [Fact]
    public void AfterRenewal_GrantLongerThanAsked_ScheduledOnWhatWasAsked()
    {
        var next = SyncDecisions.AfterRenewal(SyncState.Initial, Mapping(NatPmpProtocol.Udp, 40010, 86_400), Mapping(NatPmpProtocol.Tcp, 40010, 86_400), T0, new SyncSettings { RenewInterval = TimeSpan.FromHours(2) });

        Assert.Equal(T0.AddSeconds(60), next.LeaseExpiresAt);
        Assert.Equal(T0.AddSeconds(30), next.NextRenewAt);
    }

    [Fact]
    public void AfterRenewal_OneSecondGrant_NextRenewalNotSoonerThanMinimum()
    {
        var next = SyncDecisions.AfterRenewal(SyncState.Initial, Mapping(NatPmpProtocol.Udp, 40010, 1), Mapping(NatPmpProtocol.Tcp, 40010, 1), T0, new SyncSettings());

        Assert.Equal(T0 + SyncDecisions.MinimumRenewalSpacing, next.NextRenewAt);
    }

    [Fact]
    public void AfterRenewalFailure_ZeroRetryDelay_NotSoonerThanMinimum()
    {
        var next = SyncDecisions.AfterRenewalFailure(SyncState.Initial, "invalid grant", T0, new SyncSettings { FailureRetryDelay = TimeSpan.Zero });

        Assert.Equal(T0 + SyncDecisions.MinimumRenewalSpacing, next.NextRenewAt);
    }

    /// <summary>
    /// Any sequence of grants (lifetimes 0–10⁶ s), failures, recoveries and refused recoveries, under any settings:
    /// every next renewal lies at least the minimum spacing after the decision that set it.
    /// </summary>
    [Fact]
    public void Decisions_AnyReplySequence_NextRenewalNeverSoonerThanMinimum()
    {
        var step = Gen.Select(Gen.Int[0, 3], Gen.UInt[0, 1_000_000], Gen.Int[0, 65535], Gen.Int[0, 5_000]);
        var settings = Gen.Select(Gen.Int[0, 120], Gen.Int[0, 10], Gen.Int[0, 30], Gen.Int[1, 5], (renew, retry, cooldown, maxFailures) => new SyncSettings
        {
            RenewInterval = TimeSpan.FromSeconds(renew),
            FailureRetryDelay = TimeSpan.FromSeconds(retry),
            RecoveryCooldown = TimeSpan.FromSeconds(cooldown),
            MaxFailures = maxFailures,
        });
        Gen.Select(settings, step.Array[1, 60]).Sample(
            tuple =>
            {
                var (s, steps) = tuple;
                var state = SyncState.Initial;
                var now = T0;
                foreach (var (kind, lifetime, port, elapsedMs) in steps)
                {
                    now = now.AddMilliseconds(elapsedMs);
                    state = kind switch
                    {
                        0 => SyncDecisions.AfterRenewal(state, Mapping(NatPmpProtocol.Udp, port, (int)Math.Min(lifetime, int.MaxValue), asked: null), Mapping(NatPmpProtocol.Tcp, port, (int)Math.Min(lifetime, int.MaxValue), asked: null), now, s),
                        1 => SyncDecisions.AfterRenewalFailure(state, "x", now, s),
                        2 => SyncDecisions.AfterRecovery(state, now, s),
                        _ => SyncDecisions.AfterRecoveryRefused(state, now, s),
                    };
                    Assert.True(state.NextRenewAt - now >= SyncDecisions.MinimumRenewalSpacing, $"next renewal {state.NextRenewAt - now} after step {kind}");
                }
            },
            iter: 2_000);
    }
}
