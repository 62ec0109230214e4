using ProtonPortSync.IntegrationTests.Deploy;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A Debian root file system that peers run from, chrooted inside their namespace: Debian 13 ("trixie"), built once
/// and cached by <c>scripts/trixie-rootfs.sh</c> (mmdebstrap from the archive apt uses). The cached tree is never
/// written: every process gets its own overlay (upper and work directories under the instance's directory), the
/// instance's directory bind-mounted at the same path inside, and <c>/proc</c>. All three are mounted in the private
/// mount namespace that <c>ip netns exec</c> gives its command, so they vanish with the process: nothing is mounted
/// on the host, nothing is left when a test dies, and concurrent instances never share a writable layer.
/// </summary>
internal sealed class ChrootTree
{
    private const string Runner = """
        set -eu
        tree=$1 layer=$2 share=$3; shift 3
        mkdir -p "$layer/upper" "$layer/work" "$layer/root"
        mount -t overlay overlay -o "lowerdir=$tree,upperdir=$layer/upper,workdir=$layer/work" "$layer/root"
        mkdir -p "$layer/root$share"
        mount --bind "$share" "$layer/root$share"
        mount -t proc proc "$layer/root/proc"
        exec chroot "$layer/root" "$@"
        """;

    private static readonly Lazy<ChrootTree> TrixieTree = new(() => Build("trixie-rootfs.sh"), LazyThreadSafetyMode.ExecutionAndPublication);
    private int _layers;

    private ChrootTree(string root, IReadOnlyDictionary<string, string> versions)
    {
        Root = root;
        Versions = versions;
    }

    /// <summary>Debian 13's tree; the first call builds it (about a minute) unless cached. Throws, never skips, when
    /// it cannot be had (no mmdebstrap, no archive): the message says why and what to run.</summary>
    public static ChrootTree Trixie => TrixieTree.Value;

    /// <summary>The cached tree (read-only by convention: processes see it through their own overlay).</summary>
    public string Root { get; }

    /// <summary>Package name to version, as dpkg in the tree reported them when it was built.</summary>
    public IReadOnlyDictionary<string, string> Versions { get; }

    /// <summary>
    /// Starts <paramref name="file"/> chrooted in this tree inside <paramref name="ns"/>. <paramref name="share"/> (an
    /// absolute host directory, usually the instance's) appears at the same path inside; the overlay's layers go in a
    /// fresh directory under it. The returned process has the client's own PID (every step execs).
    /// </summary>
    public ChildProcess Start(NetworkNamespace ns, string share, string file, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var layer = Path.Combine(share, ".chroot", Interlocked.Increment(ref _layers).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Path.GetFileName(file));
        return ns.Start("sh", ["-c", Runner, "chroot-runner", Root, layer, share, file, .. args]);
    }

    /// <summary>Whether the host's mount table (this process's mount namespace) has anything mounted under <paramref name="directory"/>.</summary>
    public static bool HostHasMountsUnder(string directory)
        => File.ReadAllLines("/proc/self/mounts").Any(line => line.Split(' ')[1].StartsWith(directory, StringComparison.Ordinal));

    private static ChrootTree Build(string script)
    {
        var path = DeployPaths.InRepository("scripts", script);
        var r = Shell.Run("bash", [path], TimeSpan.FromMinutes(15));
        var root = r.StdOut.Trim();
        if (r.ExitCode != 0 || !File.Exists(Path.Combine(root, ".pps-complete")))
        {
            throw new InvalidOperationException(
                $"the Debian root file system for today's peers is unavailable: `{path}` exited {r.ExitCode}: {r.StdErr.Trim()}\n" +
                "These tests need it and do not skip: run scripts/install-deps.sh as root (it installs mmdebstrap and builds the tree from Debian's archive).");
        }

        var versions = File.ReadAllLines(Path.Combine(root, ".pps-versions"))
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        return new ChrootTree(root, versions);
    }
}
