using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A ProtonVPN-like gateway and a client host, all inside namespaces this test made (real-peers.md, "NAT-PMP
/// gateway" and "Policy routing"):
/// <list type="bullet">
/// <item>gateway namespace: <c>wgp</c> 10.2.0.1/24 (the tunnel's far end), a WAN veth pair <c>wan0</c>
/// 192.168.200.1/24 / <c>wan0p</c> kept inside it, and miniupnpd listening on 10.2.0.1:5351 (external address 1.2.3.4);</item>
/// <item>client namespace: <c>wg0</c> 10.2.0.2, routed as <see cref="ClientRouting"/> says;</item>
/// <item>for the routed variants, a "lan" namespace whose <c>lan0</c> 192.168.77.1 is the client's main-table
/// default route; it does not forward, so anything that leaves through the LAN is silently lost.</item>
/// </list>
/// Dispose stops miniupnpd by PID and deletes every namespace, also after a failure half-way through setup.
/// </summary>
internal sealed partial class GatewayTopology : IDisposable
{
    public const string TunnelInterfaceName = "wg0";
    public const int TunnelRoutingTable = 51820;

    /// <summary>A separate table, so clearing faults never touches miniupnpd's chains.</summary>
    private const string FaultTable = "pps_faults";

    private readonly List<NetworkNamespace> _namespaces = [];
    private MiniUpnpd? _gateway;

    private GatewayTopology(ClientRouting routing) => Routing = routing;

    public static IPAddress GatewayAddress { get; } = IPAddress.Parse("10.2.0.1");

    /// <summary>10.2.0.1:5351. A new instance each time (IPEndPoint is mutable).</summary>
    public static IPEndPoint GatewayEndPoint => new(GatewayAddress, NatPmpCodec.ServerPort);

    /// <summary>The client's tunnel address, 10.2.0.2 (/32 when routed, /24 with <see cref="ClientRouting.OnLink"/>).</summary>
    public static IPAddress TunnelAddress { get; } = IPAddress.Parse("10.2.0.2");

    /// <summary>The public address miniupnpd reports (ext_ip); only reported, never contacted.</summary>
    public static IPAddress ExternalAddress { get; } = IPAddress.Parse("1.2.3.4");

    /// <summary>The client's LAN address (routed variants only).</summary>
    public static IPAddress LanAddress { get; } = IPAddress.Parse("192.168.77.2");

    public static IPAddress LanRouterAddress { get; } = IPAddress.Parse("192.168.77.1");

    public ClientRouting Routing { get; }

    public NetworkNamespace ClientNamespace { get; private set; } = null!;

    public NetworkNamespace GatewayNamespace { get; private set; } = null!;

    /// <summary>The LAN router's namespace; null with <see cref="ClientRouting.OnLink"/>.</summary>
    public NetworkNamespace? LanNamespace { get; private set; }

    public MiniUpnpd Gateway => _gateway ?? throw new InvalidOperationException("the gateway was not created");

    /// <summary>What miniupnpd printed over all its runs (debug output), for assertion messages.</summary>
    public string GatewayOutput => _gateway?.Output ?? string.Empty;

    /// <summary>Builds the namespaces and links, starts miniupnpd and waits until it listens.</summary>
    public static GatewayTopology Create(ClientRouting routing = ClientRouting.Policy)
    {
        var topology = new GatewayTopology(routing);
        try
        {
            topology.Build();
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>A UDP socket inside the client namespace, for <c>UdpNatPmpTransport.Open(…, socketFactory)</c>.</summary>
    public Socket CreateClientUdpSocket() => ClientNamespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>
    /// The IPv4 address of an interface in the client namespace, read with <c>ip -4 -o addr show dev</c> (in-process
    /// NetworkInterface enumeration sees the root namespace, not this one).
    /// </summary>
    public IPAddress ReadClientAddress(string interfaceName = TunnelInterfaceName)
    {
        var line = ClientNamespace.Exec("ip", "-4", "-o", "addr", "show", "dev", interfaceName);
        var match = InetAddress().Match(line);
        return match.Success
            ? IPAddress.Parse(match.Groups[1].Value)
            : throw new InvalidOperationException($"no IPv4 address on {interfaceName} in {ClientNamespace}: '{line.Trim()}'");
    }

    /// <summary>Starts miniupnpd if it is stopped and waits until it listens. Its epoch starts again at 0.</summary>
    public void StartGateway() => Gateway.Start();

    /// <summary>
    /// Stops miniupnpd by PID. Nothing then listens on 5351, so the client's connected socket gets ICMP port
    /// unreachable (ECONNREFUSED). Leases and nft rules stay.
    /// </summary>
    public void StopGateway() => Gateway.Stop();

    /// <summary>
    /// Stops miniupnpd by PID and starts it again: its epoch (seconds since start, RFC 6886 §3.6) restarts at 0.
    /// With <paramref name="cleanState"/> false the mappings survive (miniupnpd reloads its lease file and the nft
    /// rules stay); with true the nft mapping chains are flushed and the lease file deleted in between, as a gateway
    /// that really lost its state.
    /// </summary>
    public void RestartGateway(bool cleanState = false)
    {
        Gateway.Stop();
        if (cleanState)
        {
            Gateway.ResetState();
        }

        Gateway.Start();
    }

    /// <summary>Silently drops every NAT-PMP request on the gateway's input (udp dport 5351): the client times out.</summary>
    public void DropNatPmp() => SetFault("drop");

    /// <summary>
    /// Rejects NAT-PMP requests with ICMP port unreachable: the client's connected socket fails with ECONNREFUSED,
    /// Proton's "port forwarding not enabled" symptom.
    /// </summary>
    public void RejectNatPmp() => SetFault("reject with icmpx type port-unreachable");

    /// <summary>
    /// How many packets the current drop/reject rule matched (its nft counter): the number of NAT-PMP requests the
    /// client sent while the fault was set. 0 when no fault is set.
    /// </summary>
    public int FaultHits()
    {
        var r = GatewayNamespace.Run("nft", "list", "table", "inet", FaultTable);
        var match = CounterPackets().Match(r.StdOut);
        return r.ExitCode == 0 && match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Removes any drop/reject rule; miniupnpd and its mappings are untouched.</summary>
    public void ClearFaults() => GatewayNamespace.Nft($$"""
        table inet {{FaultTable}} {
        }
        delete table inet {{FaultTable}}

        """);

    /// <summary>miniupnpd's current leases (protocol, external port, internal address and port, expiry).</summary>
    public IReadOnlyList<MiniUpnpdLease> ReadLeases() => Gateway.ReadLeases();

    public void Dispose()
    {
        _gateway?.Dispose();
        for (var i = _namespaces.Count - 1; i >= 0; i--)
        {
            _namespaces[i].Dispose();
        }

        _namespaces.Clear();
    }

    public override string ToString() => $"{Routing} topology: client {ClientNamespace}, gateway {GatewayNamespace}, lan {LanNamespace?.ToString() ?? "none"}";

    private void SetFault(string verdict)
    {
        ClearFaults();
        GatewayNamespace.Nft($$"""
            table inet {{FaultTable}} {
              chain input {
                type filter hook input priority -10; policy accept;
                udp dport {{NatPmpCodec.ServerPort}} counter {{verdict}}
              }
            }

            """);
    }

    private NetworkNamespace AddNamespace(string purpose)
    {
        var ns = NetworkNamespace.Create(purpose);
        _namespaces.Add(ns);
        return ns;
    }

    private void Build()
    {
        GatewayNamespace = AddNamespace("gw");
        ClientNamespace = AddNamespace("cl");
        var gw = GatewayNamespace;
        var cl = ClientNamespace;

        gw.AddVeth("wgp", cl, TunnelInterfaceName);
        gw.Exec("ip", "addr", "add", $"{GatewayAddress}/24", "dev", "wgp");

        // The gateway's "WAN": a veth pair whose both ends stay inside the gateway namespace.
        gw.Exec("ip", "link", "add", "wan0", "type", "veth", "peer", "name", "wan0p");
        gw.Exec("ip", "addr", "add", "192.168.200.1/24", "dev", "wan0");
        gw.Exec("ip", "link", "set", "wan0", "up");
        gw.Exec("ip", "link", "set", "wan0p", "up");

        if (Routing == ClientRouting.OnLink)
        {
            cl.Exec("ip", "addr", "add", $"{TunnelAddress}/24", "dev", TunnelInterfaceName);
        }
        else
        {
            BuildRoutedClient(cl);
        }

        _gateway = MiniUpnpd.Create(gw, "wgp", GatewayEndPoint, "wan0", ExternalAddress, "10.2.0.0/24");
        _gateway.Start();
    }

    private void BuildRoutedClient(NetworkNamespace cl)
    {
        var lan = AddNamespace("lan");
        LanNamespace = lan;
        lan.AddVeth("lan0", cl, "lan0");
        lan.Exec("ip", "addr", "add", $"{LanRouterAddress}/24", "dev", "lan0");
        cl.Exec("ip", "addr", "add", $"{LanAddress}/24", "dev", "lan0");
        cl.Exec("ip", "route", "add", "default", "via", LanRouterAddress.ToString());

        var table = TunnelRoutingTable.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cl.Exec("ip", "addr", "add", $"{TunnelAddress}/32", "dev", TunnelInterfaceName);
        cl.Exec("ip", "route", "add", "default", "dev", TunnelInterfaceName, "table", table);
        if (Routing == ClientRouting.Policy)
        {
            cl.Exec("ip", "rule", "add", "from", TunnelAddress.ToString(), "lookup", table);
        }
        else
        {
            // wg-quick's full-tunnel rules: everything not marked by WireGuard itself goes through the tunnel.
            cl.Exec("ip", "rule", "add", "not", "fwmark", table, "lookup", table);
            cl.Exec("ip", "rule", "add", "lookup", "main", "suppress_prefixlength", "0");
        }
    }

    [GeneratedRegex(@"counter packets (\d+)")]
    private static partial Regex CounterPackets();

    [GeneratedRegex(@"\binet (\d+\.\d+\.\d+\.\d+)/")]
    private static partial Regex InetAddress();
}

/// <summary>How the client namespace routes traffic to the gateway.</summary>
internal enum ClientRouting
{
    /// <summary>
    /// Split tunnel by source: <c>wg0</c> 10.2.0.2/32, <c>default dev wg0 table 51820</c>,
    /// <c>from 10.2.0.2 lookup 51820</c>, main default via the LAN. An unbound socket leaves through the LAN and
    /// times out; one bound to 10.2.0.2 (or to device wg0) gets its reply.
    /// </summary>
    Policy,

    /// <summary>wg-quick's full tunnel (<c>not fwmark 51820 lookup 51820</c> + <c>main suppress_prefixlength 0</c>): bound and unbound both work.</summary>
    FullTunnel,

    /// <summary>No LAN, no rules: <c>wg0</c> 10.2.0.2/24 on-link. For clients that cannot bind, such as natpmpc.</summary>
    OnLink,
}
