using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Demo;

/// <summary>
/// A ProtonVPN-like NAT-PMP gateway on a UDP socket, for <c>proton-port-sync demo</c> and end-to-end tests. The
/// answers come from <see cref="ProtonGatewayBehavior"/>; this class only receives, replies, and can play dead.
/// </summary>
internal sealed partial class ProtonGatewayEmulator : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _unresponsive;
    private long _dropped;

    private ProtonGatewayEmulator(Socket socket, ProtonGatewayBehavior behavior, ILogger logger)
    {
        _socket = socket;
        Behavior = behavior;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Where requests go; with port 0 in the options this holds the port the system chose.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The state and counters: current port, epoch, requests by opcode.</summary>
    public ProtonGatewayBehavior Behavior { get; }

    public IPAddress PublicAddress
    {
        get => Behavior.PublicAddress;
        set => Behavior.PublicAddress = value;
    }

    public ushort? CurrentPort => Behavior.CurrentPort;

    public uint EpochSeconds => Behavior.EpochSeconds;

    /// <summary>Datagrams received while unresponsive, dropped unanswered.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public bool IsUnresponsive => Volatile.Read(ref _unresponsive) != 0;

    /// <summary>
    /// Binds and starts answering. Pass <paramref name="unboundSocket"/> (UDP, not yet bound) to serve from a socket
    /// made elsewhere, e.g. inside a test's network namespace.
    /// </summary>
    public static ProtonGatewayEmulator Start(
        TimeProvider timeProvider,
        ProtonGatewayEmulatorOptions? options = null,
        ILogger? logger = null,
        Random? random = null,
        Socket? unboundSocket = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= new ProtonGatewayEmulatorOptions();
        logger ??= NullLogger.Instance;
        random ??= options.Seed is { } seed ? new Random(seed) : new Random();
        var behavior = new ProtonGatewayBehavior(timeProvider, options.PublicAddress, options.ChangeEvery, random, logger)
        {
            InternalPortReply = options.InternalPortReply,
        };
        var socket = unboundSocket ?? new Socket(options.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(options.EndPoint);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException($"The gateway emulator could not bind {options.EndPoint}: {ex.Message}. Pick another address or port 0.", ex);
        }

        var emulator = new ProtonGatewayEmulator(socket, behavior, logger);
        LogListening(logger, emulator.LocalEndPoint);
        emulator._loop = Task.Run(emulator.ReceiveLoopAsync);
        return emulator;
    }

    public long RequestCount(NatPmpOpcode opcode) => Behavior.RequestCount(opcode);

    public void ForcePortChange() => Behavior.ForcePortChange();

    public void Restart() => Behavior.Restart();

    /// <summary>While true, every request is dropped unanswered (a gateway that is gone or unreachable).</summary>
    public void SetUnresponsive(bool unresponsive) => Volatile.Write(ref _unresponsive, unresponsive ? 1 : 0);

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var request = new byte[NatPmpCodec.MaxResponseLength];
        var reply = new byte[NatPmpCodec.MapResponseLength];
        EndPoint anyRemote = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(request, SocketFlags.None, anyRemote, _stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                continue; // An ICMP error about an earlier reply; the socket is fine.
            }
            catch (SocketException) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (IsUnresponsive)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            var length = Behavior.Handle(request.AsSpan(0, received.ReceivedBytes), reply);
            if (length == 0)
            {
                continue;
            }

            try
            {
                await _socket.SendToAsync(reply.AsMemory(0, length), SocketFlags.None, received.RemoteEndPoint, _stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogReplyFailed(_logger, received.RemoteEndPoint, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "Gateway emulator listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Debug, Message = "Gateway emulator could not reply to {Remote}: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, EndPoint remote, string reason);
}
