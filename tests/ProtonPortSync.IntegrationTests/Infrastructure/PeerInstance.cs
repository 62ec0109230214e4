using System.Security.Cryptography;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// What every real torrent client a test runs shares: a namespace (a fresh one with only <c>lo</c>, or the caller's),
/// a temporary config directory, a random password, an HTTP handler whose sockets live in the namespace, and listener
/// polls. Dispose stops the processes by PID (the subclass), deletes the namespace if it made it, and the directory.
/// </summary>
internal abstract class PeerInstance : IDisposable
{
    private readonly bool _ownsNamespace;

    protected PeerInstance(string purpose, NetworkNamespace? inNamespace, string? password, ChrootTree? tree = null)
    {
        Tree = tree;
        _ownsNamespace = inNamespace is null;
        Namespace = inNamespace ?? NetworkNamespace.Create(purpose);
        Directory = System.IO.Directory.CreateTempSubdirectory($"pps-{purpose}-").FullName;
        Password = password ?? "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    }

    public NetworkNamespace Namespace { get; }

    /// <summary>The client's config directory.</summary>
    public string Directory { get; }

    public string Password { get; }

    /// <summary>The root file system the client runs from (chrooted), or null for the machine's own packages.</summary>
    public ChrootTree? Tree { get; }

    /// <summary>Writes a 0600 password file (the right password plus a newline unless told otherwise); returns its path.</summary>
    public string WritePasswordFile(string? content = null) => PasswordFiles.Write(Directory, content ?? Password + "\n");

    /// <summary>An HTTP handler whose sockets live in <see cref="Namespace"/>; cookies are left to the client under test.</summary>
    public SocketsHttpHandler CreateHandler() => NamespaceHttpHandler.Create(Namespace);

    /// <summary>Polls (bounded: 100 tries, 50 ms apart) until a listener on 127.0.0.1:port is (or is not) there.</summary>
    public Task<bool> WaitUntilListeningAsync(int port, bool listening = true) => NamespaceHttpHandler.WaitUntilListeningAsync(Namespace, port, listening);

    /// <summary>The output of <c>ss -lnt</c> inside the namespace.</summary>
    public string ListeningSockets() => Namespace.Exec("ss", "-lnt");

    public void Dispose()
    {
        StopProcesses();
        if (_ownsNamespace)
        {
            Namespace.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    /// <summary>Runs <paramref name="start"/>; on any failure disposes the half-started instance before rethrowing.</summary>
    protected static async Task<T> LaunchAsync<T>(T instance, Func<T, Task> start)
        where T : PeerInstance
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            await start(instance);
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    /// <summary>Starts one of the client's processes in <see cref="Namespace"/>, from <see cref="Tree"/> when there is one
    /// (the config directory is then visible at the same path inside).</summary>
    protected ChildProcess StartProcess(string file, IEnumerable<string> args)
        => Tree is null ? Namespace.Start(file, args) : Tree.Start(Namespace, Directory, file, args);

    /// <summary>Stops (and disposes) every process of this client, by PID.</summary>
    protected abstract void StopProcesses();
}
