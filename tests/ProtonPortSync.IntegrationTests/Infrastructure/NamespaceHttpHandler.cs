using System.Net.Sockets;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>HTTP handlers whose sockets live in a test's namespace, for in-process adapters talking to a peer there.</summary>
internal static class NamespaceHttpHandler
{
    /// <summary>A handler that connects from inside <paramref name="ns"/>; cookies are left to the client under test.</summary>
    public static SocketsHttpHandler Create(NetworkNamespace ns) => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Polls <c>ss -lnt</c> in the namespace (bounded: 100 tries, 50 ms apart) until a listener on 127.0.0.1:port is (or is not) there.</summary>
    public static async Task<bool> WaitUntilListeningAsync(NetworkNamespace ns, int port, bool listening = true)
    {
        for (var i = 0; i < 100; i++)
        {
            if (IsListeningOn(ns, port) == listening)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>
    /// After starting a peer: polls (bounded by <paramref name="timeout"/>, 50 ms apart) until it listens on
    /// 127.0.0.1:<paramref name="port"/>; throws with its output if it exits first or never listens.
    /// </summary>
    public static async Task WaitForStartAsync(NetworkNamespace ns, ChildProcess process, int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Description} exited with {process.ExitCode}: {process.Output}{diagnostics?.Invoke()}");
            }

            if (IsListeningOn(ns, port))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{process.Description} did not listen on 127.0.0.1:{port} in {ns} within {timeout}:\n{process.Output}{diagnostics?.Invoke()}");
    }

    /// <summary>True when <c>ss -lnt</c> shows a listener on 127.0.0.1:port (with or without a <c>%lo</c> device suffix).</summary>
    public static bool IsListeningOn(NetworkNamespace ns, int port)
    {
        var text = ns.Exec("ss", "-lnt");
        var p = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return text.Contains($"127.0.0.1:{p} ", StringComparison.Ordinal) || text.Contains($"127.0.0.1%lo:{p} ", StringComparison.Ordinal);
    }
}
