using System.Globalization;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Gateway;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Recovery;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Sync;

/// <summary>
/// The daemon's one loop, level-triggered: renew the mappings when due, read the client's port every cycle and
/// repair any drift, recover the tunnel after repeated failures. It decides with <see cref="SyncDecisions"/>, acts,
/// and waits; no single failure ends it. On cancellation it deletes the mappings (lifetime 0) and returns.
/// </summary>
internal sealed partial class PortSyncLoop
{
    private static readonly NatPmpProtocol[] Protocols = [NatPmpProtocol.Udp, NatPmpProtocol.Tcp];

    private readonly IPortMapper _mapper;
    private readonly ITorrentClient? _client;
    private readonly IRecoveryAction _recovery;
    private readonly ISyncObserver _observer;
    private readonly SyncSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecoveryHistoryFile? _history;

    /// <param name="client">The torrent client kept on the port, or null for none (port files and hooks only).</param>
    public PortSyncLoop(IPortMapper mapper, ITorrentClient? client, IRecoveryAction recovery, ISyncObserver observer, SyncSettings settings, TimeProvider time, ILogger<PortSyncLoop> logger, RecoveryHistoryFile? history = null)
    {
        _history = history;
        if (history is not null)
        {
            State = SyncState.Initial with { Recoveries = history.Load(time.GetUtcNow(), SyncSettings.RecoveryWindow) };
        }

        _mapper = mapper;
        _client = client;
        _recovery = recovery;
        _observer = observer;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    /// <summary>The state after the last step, for status endpoints and tests.</summary>
    public SyncState State { get; private set; } = SyncState.Initial;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        Log.Starting(_logger, _client?.Name ?? "no torrent client", _recovery.Description);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await StepAsync(stoppingToken);
                var now = _time.GetUtcNow();
                _observer.Heartbeat(State, now);
                var wake = SyncDecisions.NextWake(State, now, _settings);
                if (wake > now)
                {
                    await Task.Delay(wake - now, _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to the release.
        }

        await ReleaseAsync();
    }

    /// <summary>One decide-and-act pass: renew if due, then reconcile the client if due.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        if (SyncDecisions.IsRenewalDue(State, _time.GetUtcNow()))
        {
            await RenewAsync(cancellationToken);
        }

        if (SyncDecisions.IsClientCheckDue(State, _time.GetUtcNow()))
        {
            if (_client is null)
            {
                // No client: nothing can drift, so the in-sync and health verdicts follow the mapping alone.
                State = SyncDecisions.AfterClientSynced(State, State.MappedPort!.Value, _time.GetUtcNow(), _settings);
            }
            else
            {
                await ReconcileClientAsync(_client, cancellationToken);
            }
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        var budget = SyncDecisions.AttemptTimeout(start, State.LeaseExpiresAt, _settings.RequestTimeout);
        var suggested = (ushort)(State.MappedPort ?? _settings.SuggestedPort);
        var previous = State.MappedPort;
        try
        {
            var udp = await _mapper.MapAsync(NatPmpProtocol.Udp, suggested, budget, cancellationToken);
            var left = budget - (_time.GetUtcNow() - start);
            var tcp = await _mapper.MapAsync(NatPmpProtocol.Tcp, udp.ExternalPort, left > SyncDecisions.MinimumAttemptTimeout ? left : SyncDecisions.MinimumAttemptTimeout, cancellationToken);
            var wasFailing = State.ConsecutiveFailures > 0;
            State = SyncDecisions.AfterRenewal(State, udp, tcp, _time.GetUtcNow(), _settings);
            _observer.RenewalSucceeded(udp, tcp);
            if (udp.ExternalPort != tcp.ExternalPort)
            {
                Log.ProtocolMismatch(_logger, udp.ExternalPort, tcp.ExternalPort);
                _observer.ProtocolMismatch(udp.ExternalPort, tcp.ExternalPort);
            }

            if (udp.GatewayReset || tcp.GatewayReset)
            {
                Log.GatewayReset(_logger, State.MappedPort!.Value);
                _observer.GatewayReset();
            }

            if (previous != State.MappedPort)
            {
                Log.PortChanged(_logger, State.MappedPort!.Value, previous?.ToString(CultureInfo.InvariantCulture) ?? "none", State.LeaseExpiresAt!.Value);
                _observer.PortChanged(previous, State.MappedPort.Value);
            }
            else
            {
                Log.Renewed(_logger, State.MappedPort!.Value, State.NextRenewAt);
            }

            if (wasFailing)
            {
                Log.GatewayBack(_logger);
            }

            if (State.PublicAddress is null || udp.GatewayReset || tcp.GatewayReset)
            {
                await LearnPublicAddressAsync(cancellationToken);
            }

            _observer.MappingRenewed(State);
        }
        catch (NatPmpException ex)
        {
            State = SyncDecisions.AfterRenewalFailure(State, ex.Message, _time.GetUtcNow(), _settings);
            _observer.RenewalFailed(ex);
            Log.RenewalFailed(_logger, State.ConsecutiveFailures, _settings.MaxFailures, ex.Message);
            if (SyncDecisions.ShouldRecover(State, _settings))
            {
                await RecoverAsync(cancellationToken);
            }
        }
    }

    private async Task LearnPublicAddressAsync(CancellationToken cancellationToken)
    {
        try
        {
            var address = await _mapper.GetPublicAddressAsync(SyncDecisions.MinimumAttemptTimeout, cancellationToken);
            State = State with { PublicAddress = address };
            Log.PublicAddress(_logger, address);
        }
        catch (NatPmpException ex)
        {
            // Informational only: the mapping is what matters.
            Log.PublicAddressUnknown(_logger, ex.Message);
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!SyncDecisions.RecoveryAllowed(State, now, _settings))
        {
            Log.RecoveryCapped(_logger, _settings.MaxRecoveriesPerHour, _recovery.Description);
            State = SyncDecisions.AfterRecoveryRefused(State, now, _settings);
            return;
        }

        // Written before the action runs: restarting a tunnel the daemon is bound to stops the daemon mid-call.
        var recoveries = SyncDecisions.RecentRecoveries(State, now).Add(now);
        _history?.Save(recoveries);
        Log.Recovering(_logger, State.ConsecutiveFailures, _recovery.Description);
        var succeeded = true;
        try
        {
            await _recovery.RecoverAsync(new RecoveryContext(State.MappedPort, State.PublicAddress, State.ConsecutiveFailures), cancellationToken);
        }
        catch (RecoveryException ex)
        {
            succeeded = false;
            Log.RecoveryFailed(_logger, ex.Message);
        }

        _observer.RecoveryRan(succeeded);
        _mapper.Reset();
        State = SyncDecisions.AfterRecovery(State, _time.GetUtcNow(), _settings) with { Recoveries = recoveries };
    }

    private async Task ReconcileClientAsync(ITorrentClient client, CancellationToken stoppingToken)
    {
        var mapped = State.MappedPort!.Value;

        // A client that hangs must not hold up the next renewal: its calls get until then (at least a few seconds).
        var budget = SyncDecisions.ClientBudget(State, _time.GetUtcNow());
        using var timeout = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        var cancellationToken = linked.Token;
        try
        {
            var actual = await client.GetListenPortAsync(cancellationToken);
            _observer.ClientPortRead(actual);
            var needsWrite = SyncDecisions.IsDrifted(State, actual) || State.RebindPending;
            if (needsWrite && !SyncDecisions.IsListenPortAllowed(mapped))
            {
                // The gateway granted a port no client may be given (below 1024): say so, try again next cycle.
                _observer.ClientUpdated(ClientUpdateOutcome.Failure);
                State = SyncDecisions.AfterClientFailure(State, _time.GetUtcNow(), null, _settings);
                Log.ClientFailed(_logger, client.Name, $"the gateway granted port {mapped}, outside {SyncDecisions.MinListenPort}–{SyncDecisions.MaxListenPort}; not given to the client", State.NextClientCheckAt);
                return;
            }

            if (SyncDecisions.IsDrifted(State, actual))
            {
                Log.Drift(_logger, client.Name, actual, mapped);
                await client.SetListenPortAsync(mapped, cancellationToken);
                _observer.ClientUpdated(ClientUpdateOutcome.Success);
                _observer.ClientPortRead(mapped);
                Log.ClientUpdated(_logger, client.Name, mapped);
                actual = mapped;
            }
            else if (State.RebindPending)
            {
                await client.RebindAsync(mapped, cancellationToken);
                Log.Rebound(_logger, client.Name, mapped);
            }

            if (client is IAnnouncePortKeeper keeper)
            {
                // The port told to trackers can be wrong while the listening port is right (set by hand, another tool).
                await keeper.KeepAnnouncePortAsync(mapped, cancellationToken);
            }

            if (State.ClientFailures > 0)
            {
                Log.ClientBack(_logger, client.Name);
            }

            State = SyncDecisions.AfterClientSynced(State, actual, _time.GetUtcNow(), _settings);
            await ObserveConnectionAsync(cancellationToken, stoppingToken);
        }
        catch (TorrentClientException ex)
        {
            _observer.ClientUpdated(ex.Failure == TorrentClientFailure.ReadBackMismatch ? ClientUpdateOutcome.ReadBackMismatch : ClientUpdateOutcome.Failure);
            if (ex.Failure is TorrentClientFailure.BadCredentials or TorrentClientFailure.Banned)
            {
                _observer.ClientLoginFailed(ex.Failure);
            }

            State = SyncDecisions.AfterClientFailure(State, _time.GetUtcNow(), ex.RetryNotBefore, _settings);
            if (ex.Failure is TorrentClientFailure.BadCredentials or TorrentClientFailure.Banned or TorrentClientFailure.CertificateRefused)
            {
                Log.ClientNeedsOperator(_logger, ex.ClientName, ex.Message, State.NextClientCheckAt);
            }
            else if (ex.Failure != TorrentClientFailure.BackingOff)
            {
                Log.ClientFailed(_logger, ex.ClientName, ex.Message, State.NextClientCheckAt);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            _observer.ClientUpdated(ClientUpdateOutcome.Failure);
            State = SyncDecisions.AfterClientFailure(State, _time.GetUtcNow(), null, _settings);
            Log.ClientFailed(_logger, client.Name, $"no answer within {budget.TotalSeconds:0.#} s (before the next renewal)", State.NextClientCheckAt);
        }
    }

    private async Task ReleaseAsync()
    {
        if (State.MappedPort is null)
        {
            Log.Stopped(_logger);
            return;
        }

        // §3.4: a lifetime of 0 deletes the mapping. Bounded so that stopping takes a second or two at most.
        foreach (var protocol in Protocols)
        {
            try
            {
                await _mapper.DeleteAsync(protocol, _settings.ReleaseTimeout, CancellationToken.None);
            }
            catch (NatPmpException ex)
            {
                Log.ReleaseFailed(_logger, protocol == NatPmpProtocol.Udp ? "UDP" : "TCP", ex.Message);
            }
        }

        Log.Released(_logger, State.MappedPort.Value);
        State = State with { MappedPort = null, LeaseExpiresAt = null };
    }
}
