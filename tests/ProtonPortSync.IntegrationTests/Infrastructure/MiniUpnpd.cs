using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A real NAT-PMP gateway: miniupnpd 2.3.1 (nftables backend) inside a namespace the test made, with its config,
/// lease file and pid file in a private temp directory. See /work/shared/notes/real-peers.md, "NAT-PMP gateway".
/// Stopped by PID (<see cref="ChildProcess"/>), never by name.
/// </summary>
internal sealed class MiniUpnpd : IDisposable
{
    /// <summary>
    /// The chains miniupnpd expects (Debian's nft_init.sh creates nothing; without them every mapping answers
    /// result 3). Multi-line on purpose: nft 1.0.6 rejects some one-liners.
    /// </summary>
    private const string Chains = """
        table inet filter {
          chain forward {
            type filter hook forward priority 0; policy accept;
            jump miniupnpd
          }
          chain miniupnpd {
          }
          chain prerouting {
            type nat hook prerouting priority -100; policy accept;
            jump prerouting_miniupnpd
          }
          chain postrouting {
            type nat hook postrouting priority 100; policy accept;
            jump postrouting_miniupnpd
          }
          chain prerouting_miniupnpd {
          }
          chain postrouting_miniupnpd {
          }
        }

        """;

    /// <summary>Only the chains miniupnpd fills; the base chains keep their jumps.</summary>
    private const string FlushMappingRules = """
        flush chain inet filter miniupnpd
        flush chain inet filter prerouting_miniupnpd
        flush chain inet filter postrouting_miniupnpd

        """;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);
    private const int MaxListenPolls = 200;

    private readonly NetworkNamespace _namespace;
    private readonly IPEndPoint _listenEndPoint;
    private readonly StringBuilder _previousOutput = new();
    private ChildProcess? _process;

    private MiniUpnpd(NetworkNamespace ns, IPEndPoint listenEndPoint, string directory)
    {
        _namespace = ns;
        _listenEndPoint = listenEndPoint;
        Directory = directory;
    }

    /// <summary>The private temp directory holding config, lease file and pid file; deleted on dispose.</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "miniupnpd.conf");

    public string LeaseFilePath => Path.Combine(Directory, "leases");

    public string PidFilePath => Path.Combine(Directory, "miniupnpd.pid");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The PID of the running daemon, or null when stopped.</summary>
    public int? Pid => IsRunning ? _process!.Pid : null;

    /// <summary>Everything miniupnpd printed (debug on stderr), over all runs, for diagnostics in assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_previousOutput)
            {
                return _previousOutput + (_process?.Output ?? string.Empty);
            }
        }
    }

    /// <summary>
    /// Writes the config and creates the nft chains inside <paramref name="ns"/>; does not start the daemon.
    /// <paramref name="listeningInterface"/> must carry <paramref name="listenEndPoint"/>'s address and
    /// <paramref name="externalInterface"/> must exist in <paramref name="ns"/>.
    /// </summary>
    public static MiniUpnpd Create(NetworkNamespace ns, string listeningInterface, IPEndPoint listenEndPoint, string externalInterface, IPAddress externalAddress, string allowedSubnet)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(listenEndPoint);
        ArgumentNullException.ThrowIfNull(externalAddress);
        var directory = System.IO.Directory.CreateTempSubdirectory("pps-miniupnpd-").FullName;
        var daemon = new MiniUpnpd(ns, listenEndPoint, directory);
        try
        {
            File.WriteAllText(daemon.ConfigPath, string.Join('\n',
            [
                $"ext_ifname={externalInterface}",
                $"ext_ip={externalAddress}", // Must look public or every request answers result 3; never contacted.
                $"listening_ip={listeningInterface}",
                "enable_natpmp=yes",
                "enable_upnp=no",
                "ipv6_disable=yes",
                "secure_mode=yes",
                "system_uptime=no", // Epoch = daemon uptime, so a restart resets it (RFC 6886 §3.6).
                $"lease_file={daemon.LeaseFilePath}",
                $"allow 1-65535 {allowedSubnet} 1-65535", // A narrow allow rule can stall it for a minute per request.
                "deny 0-65535 0.0.0.0/0 0-65535",
                string.Empty,
            ]));
            ns.Nft(Chains);
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the daemon (<c>miniupnpd -f conf -d -P pidfile</c>: foreground, debug on stderr) and returns once it
    /// listens, polling <c>ss -lun</c> a bounded number of times. Throws with its output if it exits or never listens.
    /// </summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"miniupnpd in {_namespace} already runs as PID {_process!.Pid}");
        }

        ForgetStoppedProcess();
        _process = _namespace.Start("miniupnpd", ["-f", ConfigPath, "-d", "-P", PidFilePath]);
        var listening = _listenEndPoint.ToString();
        var clock = Stopwatch.StartNew();
        for (var poll = 0; poll < MaxListenPolls && clock.Elapsed < StartTimeout; poll++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"miniupnpd in {_namespace} exited with {_process.ExitCode} before listening; output:\n{Output}");
            }

            var sockets = _namespace.Exec("ss", "-lun");
            if (sockets.Contains(listening, StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(10);
        }

        throw new TimeoutException($"miniupnpd in {_namespace} did not listen on {listening} within {clock.Elapsed}; output:\n{Output}");
    }

    /// <summary>Stops the daemon by its PID (SIGTERM, then SIGKILL after a bounded wait). Idempotent.</summary>
    public void Stop()
    {
        _process?.Stop();
        ForgetStoppedProcess();
    }

    /// <summary>
    /// Forgets every mapping: flushes the chains miniupnpd filled and deletes the lease file (both survive a
    /// restart, and miniupnpd reloads the lease file on start). Call it while the daemon is stopped.
    /// </summary>
    public void ResetState()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("stop miniupnpd before resetting its state: it rewrites the lease file and rules while running");
        }

        _namespace.Nft(FlushMappingRules);
        File.Delete(LeaseFilePath);
    }

    /// <summary>The current leases; empty when the lease file does not exist (no mapping was ever made, or all were deleted).</summary>
    public IReadOnlyList<MiniUpnpdLease> ReadLeases()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(LeaseFilePath);
        }
        catch (FileNotFoundException)
        {
            return [];
        }

        return [.. lines.Where(l => l.Length > 0).Select(MiniUpnpdLease.Parse)];
    }

    public void Dispose()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"miniupnpd in {_namespace} on {_listenEndPoint} (PID {Pid?.ToString(CultureInfo.InvariantCulture) ?? "none"})");

    private void ForgetStoppedProcess()
    {
        if (_process is null)
        {
            return;
        }

        lock (_previousOutput)
        {
            _previousOutput.Append(_process.Output).AppendLine("--- miniupnpd stopped ---");
        }

        _process.Dispose();
        _process = null;
    }
}
