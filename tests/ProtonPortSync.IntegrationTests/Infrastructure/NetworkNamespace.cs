using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A network namespace made by a test, named <c>pps-&lt;purpose&gt;-&lt;random&gt;</c> so two runs never collide,
/// with only <c>lo</c> up until the test adds links. Deleted on dispose. Sockets for in-process clients are
/// created inside it with setns(2) on the calling thread (a socket keeps the namespace it was made in).
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private static readonly Lock SetnsLock = new();

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static NetworkNamespace Create(string purpose)
    {
        var name = $"pps-{purpose}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        Shell.Check("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        try
        {
            ns.Exec("ip", "link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Runs a command inside the namespace and throws with its output when it fails.</summary>
    public string Exec(string file, params string[] args) => Shell.Check("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Runs a command inside the namespace and returns its result, whatever the exit code.</summary>
    public ShellResult Run(string file, params string[] args) => Shell.Run("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Applies an nft ruleset (written multi-line: nft 1.0.6 rejects some one-liners) inside the namespace.</summary>
    public void Nft(string ruleset)
    {
        var r = Shell.Run("ip", ["netns", "exec", Name, "nft", "-f", "-"], stdin: ruleset);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"nft in {Name} failed: {r.StdErr}\n{ruleset}");
        }
    }

    /// <summary>Starts a long-running process inside the namespace.</summary>
    public ChildProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
        => ChildProcess.Start("ip", ["netns", "exec", Name, file, .. args], environment, workingDirectory);

    /// <summary>Creates a socket that lives in this namespace, for an in-process client under test.</summary>
    public Socket CreateSocket(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        using var target = File.OpenHandle($"/var/run/netns/{Name}");
        using var own = File.OpenHandle($"/proc/thread-self/ns/net");
        lock (SetnsLock)
        {
            if (Setns(target.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
            {
                throw new InvalidOperationException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
            }

            try
            {
                return new Socket(family, type, protocol);
            }
            finally
            {
                if (Setns(own.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                {
                    Environment.FailFast($"setns back from {Name} failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }
        }
    }

    /// <summary>Connects a veth pair: <paramref name="localName"/> here, <paramref name="peerName"/> in <paramref name="peer"/>.</summary>
    public void AddVeth(string localName, NetworkNamespace peer, string peerName)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var tmp = "pv" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Shell.Check("ip", "link", "add", tmp, "type", "veth", "peer", "name", tmp + "p");
        Shell.Check("ip", "link", "set", tmp, "netns", Name);
        Shell.Check("ip", "link", "set", tmp + "p", "netns", peer.Name);
        Exec("ip", "link", "set", tmp, "name", localName);
        peer.Exec("ip", "link", "set", tmp + "p", "name", peerName);
        Exec("ip", "link", "set", localName, "up");
        peer.Exec("ip", "link", "set", peerName, "up");
    }

    public void Dispose()
    {
        Shell.Run("ip", ["netns", "delete", Name]);
    }

    public override string ToString() => Name.ToString(CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int Setns(int fd, int nstype);
}
