using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Demo;

/// <summary>
/// What a ProtonVPN gateway answers, as a function from request bytes to reply bytes over a little state: one
/// external port per client for UDP and TCP alike, chosen by the gateway (the suggested port is ignored: a live
/// mapping keeps its port, a new one gets a random port), leases cut to 60 s, internal port echoed (0 accepted),
/// epoch = seconds since the gateway (re)started. No sockets here, so it is tested with literal bytes and fake time.
/// </summary>
internal sealed partial class ProtonGatewayBehavior
{
    /// <summary>Proton grants at most 60 s whatever is asked.</summary>
    public const uint MaxLifetimeSeconds = 60;

    public const int MinPort = 1024;
    public const int MaxPort = 65535;

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _changeEvery;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly long[] _requests = new long[3];
    private readonly DateTimeOffset?[] _expires = new DateTimeOffset?[2]; // [0] UDP, [1] TCP
    private long _ignored;
    private long _unsupported;
    private IPAddress _publicAddress;
    private DateTimeOffset _epochStart;
    private ushort? _port;
    private DateTimeOffset _portChosenAt;

    public ProtonGatewayBehavior(TimeProvider timeProvider, IPAddress publicAddress, TimeSpan? changeEvery, Random random, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(logger);
        if (changeEvery is { } every && every <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(changeEvery), every, "ChangeEvery must be positive, or null to keep the port while the mapping lives.");
        }

        _timeProvider = timeProvider;
        _publicAddress = RequireIPv4(publicAddress);
        _changeEvery = changeEvery;
        _random = random;
        _logger = logger;
        _epochStart = timeProvider.GetUtcNow();
    }

    /// <summary>What mapping replies carry in their internal port field (echo by default).</summary>
    public InternalPortReply InternalPortReply { get; set; } = InternalPortReply.Echo;

    /// <summary>The address opcode 0 reports.</summary>
    public IPAddress PublicAddress
    {
        get { lock (_lock) { return _publicAddress; } }
        set { var v = RequireIPv4(value); lock (_lock) { _publicAddress = v; } }
    }

    /// <summary>The forwarded port while a UDP or TCP mapping lives, else null.</summary>
    public ushort? CurrentPort
    {
        get
        {
            lock (_lock)
            {
                ForgetIfLapsed(_timeProvider.GetUtcNow());
                return _port;
            }
        }
    }

    /// <summary>Seconds since start of epoch, as the next reply will carry it.</summary>
    public uint EpochSeconds
    {
        get { lock (_lock) { return Epoch(_timeProvider.GetUtcNow()); } }
    }

    /// <summary>Well-formed requests answered, by opcode.</summary>
    public long RequestCount(NatPmpOpcode opcode) => Interlocked.Read(ref _requests[(int)opcode]);

    /// <summary>Datagrams dropped without a reply: wrong length, a response opcode, too short to read.</summary>
    public long IgnoredCount => Interlocked.Read(ref _ignored);

    /// <summary>Requests answered with Unsupported Version or Unsupported Opcode.</summary>
    public long UnsupportedCount => Interlocked.Read(ref _unsupported);

    /// <summary>
    /// While a mapping lives, moves it to a different port at once: <see cref="CurrentPort"/> and the next renewal
    /// show the new one. Without a live mapping there is nothing to move.
    /// </summary>
    public void ForcePortChange()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            ForgetIfLapsed(now);
            if (_port is not null)
            {
                ChoosePort(now);
            }
        }
    }

    /// <summary>A gateway reboot: the epoch starts again at 0 and every mapping is forgotten.</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _epochStart = _timeProvider.GetUtcNow();
            _port = null;
            Array.Clear(_expires);
            LogRestarted(_logger);
        }
    }

    /// <summary>Answers one request datagram. Returns the reply length, or 0 when the datagram is ignored.</summary>
    public int Handle(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        if (request.Length < 2 || request[1] >= NatPmpCodec.ResponseOpcodeOffset)
        {
            Interlocked.Increment(ref _ignored); // Too short to answer, or a response that looped back.
            return 0;
        }

        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            var epoch = Epoch(now);
            var opcode = (NatPmpOpcode)request[1];
            if (request[0] != NatPmpCodec.Version)
            {
                // §3.5: an unsupported version is answered with result 1 and the epoch.
                Interlocked.Increment(ref _unsupported);
                return NatPmpCodec.WriteHeader(reply, opcode, NatPmpResultCode.UnsupportedVersion, epoch);
            }

            switch (opcode)
            {
                case NatPmpOpcode.PublicAddress when request.Length == NatPmpCodec.PublicAddressRequestLength:
                    Interlocked.Increment(ref _requests[(int)opcode]);
                    return NatPmpCodec.WritePublicAddressResponse(reply, NatPmpResultCode.Success, epoch, _publicAddress);
                case NatPmpOpcode.MapUdp or NatPmpOpcode.MapTcp
                    when NatPmpCodec.TryReadMapRequest(request, out var protocol, out var fields):
                    Interlocked.Increment(ref _requests[(int)opcode]);
                    var granted = Map(protocol, fields, now);
                    return NatPmpCodec.WriteMapResponse(reply, protocol, NatPmpResultCode.Success, epoch, granted);
                case NatPmpOpcode.PublicAddress or NatPmpOpcode.MapUdp or NatPmpOpcode.MapTcp:
                    Interlocked.Increment(ref _ignored); // Known opcode, wrong length.
                    return 0;
                default:
                    Interlocked.Increment(ref _unsupported);
                    return NatPmpCodec.WriteHeader(reply, opcode, NatPmpResultCode.UnsupportedOpcode, epoch);
            }
        }
    }

    private NatPmpMapFields Map(NatPmpProtocol protocol, NatPmpMapFields request, DateTimeOffset now)
    {
        var slot = protocol == NatPmpProtocol.Udp ? 0 : 1;
        ForgetIfLapsed(now);
        if (request.LifetimeSeconds == 0)
        {
            // §3.4: a delete is answered with external port 0 and lifetime 0.
            _expires[slot] = null;
            ForgetIfLapsed(now);
            LogDeleted(_logger, protocol);
            return new NatPmpMapFields(request.InternalPort, 0, 0);
        }

        if (_port is null || (_changeEvery is { } every && now - _portChosenAt >= every))
        {
            ChoosePort(now);
        }

        var lifetime = Math.Min(request.LifetimeSeconds, MaxLifetimeSeconds);
        _expires[slot] = now + TimeSpan.FromSeconds(lifetime);
        LogMapped(_logger, protocol, _port!.Value, lifetime);
        var internalPort = InternalPortReply switch
        {
            InternalPortReply.Zero => (ushort)0,
            InternalPortReply.ExternalPort => _port.Value,
            _ => request.InternalPort,
        };
        return new NatPmpMapFields(internalPort, _port.Value, lifetime);
    }

    private void ChoosePort(DateTimeOffset now)
    {
        var previous = _port;
        ushort next;
        do
        {
            next = (ushort)_random.Next(MinPort, MaxPort + 1);
        }
        while (next == previous);

        _port = next;
        _portChosenAt = now;
        LogPortChosen(_logger, next, previous ?? 0);
    }

    private void ForgetIfLapsed(DateTimeOffset now)
    {
        for (var i = 0; i < _expires.Length; i++)
        {
            if (_expires[i] <= now)
            {
                _expires[i] = null;
            }
        }

        if (_expires[0] is null && _expires[1] is null)
        {
            _port = null;
        }
    }

    private uint Epoch(DateTimeOffset now) => (uint)Math.Max(0, Math.Floor((now - _epochStart).TotalSeconds));

    private static IPAddress RequireIPv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? address
            : throw new ArgumentException($"NAT-PMP reports IPv4 addresses only; {address} is not one.", nameof(address));
    }
}
