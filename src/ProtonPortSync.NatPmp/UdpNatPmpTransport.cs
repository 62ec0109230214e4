using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace ProtonPortSync.NatPmp;

/// <summary>
/// A UDP socket bound to the tunnel's address (or interface) and connected to the gateway. Binding matters: under
/// split-tunnel policy routing ("from 10.2.0.2 lookup 51820" plus a LAN default route) an unbound socket leaves
/// through the LAN and the reply never comes back. Connecting makes the kernel report ICMP port unreachable as
/// ECONNREFUSED, which is ProtonVPN's "port forwarding not enabled" symptom. On the real clock it sends and waits on
/// the calling thread, so the socket never joins the runtime's epoll loop and no timer is set per attempt.
/// </summary>
public sealed class UdpNatPmpTransport : INatPmpTransport
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    /// <summary>The longest single wait in <c>poll(2)</c>: how late a cancelled receive may notice.</summary>
    public static readonly TimeSpan MaxBlockingSlice = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;

    private UdpNatPmpTransport(Socket socket, IPEndPoint localEndPoint)
    {
        _socket = socket;
        LocalEndPoint = localEndPoint;
    }

    /// <summary>The address and port the socket is bound to.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Opens the socket. <paramref name="localAddress"/> null and no interface means unbound (0.0.0.0), which is
    /// wrong under policy routing and exists for diagnosis. With <paramref name="interfaceName"/>, the socket is also
    /// tied to that device (SO_BINDTODEVICE, best effort: it needs CAP_NET_RAW on older kernels) and, unless
    /// <paramref name="localAddress"/> is given, bound to the interface's first IPv4 address.
    /// <paramref name="socketFactory"/> lets a test create the socket inside a network namespace.
    /// </summary>
    public static UdpNatPmpTransport Open(IPEndPoint gateway, IPAddress? localAddress, string? interfaceName = null, Func<Socket>? socketFactory = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        if (interfaceName is not null && localAddress is null)
        {
            localAddress = GetInterfaceIPv4Address(interfaceName)
                ?? throw new NatPmpException(NatPmpFailure.Network, gateway, $"Interface '{interfaceName}' does not exist or has no IPv4 address. Is the tunnel up? Check --interface, or give --bind-address instead.");
        }

        var socket = socketFactory?.Invoke() ?? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (interfaceName is not null)
            {
                TryBindToDevice(socket, interfaceName);
            }

            try
            {
                socket.Bind(new IPEndPoint(localAddress ?? IPAddress.Any, 0));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw new NatPmpException(NatPmpFailure.Network, gateway, $"Cannot bind to {localAddress}: no interface on this host has that address. Is the tunnel up? Check --bind-address (the tunnel's address, 10.2.0.2 on ProtonVPN) or use --interface.", ex);
            }

            try
            {
                socket.Connect(gateway);
            }
            catch (SocketException ex)
            {
                throw new NatPmpException(NatPmpFailure.Network, gateway, $"Cannot reach gateway {gateway} from {localAddress ?? IPAddress.Any}: {ex.Message}. Check --gateway and the tunnel's routes.", ex);
            }

            return new UdpNatPmpTransport(socket, (IPEndPoint)socket.LocalEndPoint!);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The first IPv4 address of a network interface in this process's namespace, or null.</summary>
    public static IPAddress? GetInterfaceIPv4Address(string interfaceName)
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (!string.Equals(nic.Name, interfaceName, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    return unicast.Address;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Sends at once on the calling thread: a request of 12 bytes at most never waits for buffer space, and a socket that has
    /// never seen an asynchronous operation stays out of the runtime's epoll loop (see <see cref="ReceiveAsync(Memory{byte}, TimeSpan, TimeProvider, CancellationToken)"/>).
    /// </summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            _socket.Send(datagram.Span, SocketFlags.None);
            return ValueTask.CompletedTask;
        }
        catch (SocketException ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    public async ValueTask<NatPmpDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
        return new NatPmpDatagram(result.ReceivedBytes, (IPEndPoint)result.RemoteEndPoint);
    }

    /// <summary>
    /// On the real clock, waits in <c>poll(2)</c> on the calling thread, in slices of at most
    /// <see cref="MaxBlockingSlice"/> so that cancellation is noticed. An exchange is a request and one reply a few
    /// tens of milliseconds later; waiting for it with a socket operation and a timer cost about a dozen thread
    /// switches (the runtime's epoll thread, its timer thread and a thread-pool worker each handing over to the
    /// next, plus a write-ready event after every send), while here the kernel wakes this one thread when the reply
    /// arrives (benchmarks/footprint/README.md, round 5). Any other clock (a test's) gets the timer-bounded receive.
    /// </summary>
    public ValueTask<NatPmpDatagram?> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (timeProvider != TimeProvider.System)
        {
            return NatPmpTimedReceive.WithTimerAsync(this, buffer, timeout, timeProvider, cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(ReceiveWithin(buffer.Span, timeout, cancellationToken));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return ValueTask.FromException<NatPmpDatagram?>(ex);
        }
    }

    private NatPmpDatagram? ReceiveWithin(Span<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            // poll(2) counts in whole milliseconds: round up, or the last fraction of a millisecond would spin. It also
            // ends on a pending error (ICMP port unreachable), which SelectRead does not report: ask for that
            // separately, or the loop would spin until the timeout. ReceiveFrom then throws the error.
            var waitMicroseconds = (int)Math.Ceiling((remaining < MaxBlockingSlice ? remaining : MaxBlockingSlice).TotalMilliseconds) * 1000;
            if (_socket.Poll(waitMicroseconds, SelectMode.SelectRead)
                || _socket.Poll(TimeSpan.Zero, SelectMode.SelectError))
            {
                EndPoint source = new IPEndPoint(IPAddress.Any, 0);
                var length = _socket.ReceiveFrom(buffer, SocketFlags.None, ref source);
                return new NatPmpDatagram(length, (IPEndPoint)source);
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private static void TryBindToDevice(Socket socket, string interfaceName)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));
        }
        catch (SocketException)
        {
            // Not permitted without CAP_NET_RAW on kernels before 5.7: binding to the interface's address is what
            // policy routing needs; the device binding only adds strictness.
        }
    }
}
