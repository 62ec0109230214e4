using System.Globalization;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// The real daemon as a separate process inside a namespace. By default the build next to the tests
/// (`dotnet proton-port-sync.dll`); with PPS_DAEMON set, that executable (the test command points it at the
/// NativeAOT binary so the published artefact passes the same end-to-end rig).
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private DaemonProcess(ChildProcess process) => Process = process;

    public ChildProcess Process { get; }

    public string Output => Process.Output;

    /// <summary>What runs: the NativeAOT binary when PPS_DAEMON is set, else the framework-dependent build.</summary>
    public static string Describe() => Environment.GetEnvironmentVariable("PPS_DAEMON") is { Length: > 0 } binary ? binary : "dotnet proton-port-sync.dll";

    /// <summary>
    /// <c>run</c> in the policy-routing topology (<see cref="GatewayTopology"/>): gateway and tunnel address, the port
    /// asked for and suggested (miniupnpd refuses internal port 0), a renewal every 2 s, then the caller's flags.
    /// </summary>
    public static string[] RunArgs(int port, string requestTimeout, params string[] extra) =>
    [
        "run",
        "--gateway", GatewayTopology.GatewayAddress.ToString(),
        "--bind-address", GatewayTopology.TunnelAddress.ToString(),
        "--internal-port", port.ToString(CultureInfo.InvariantCulture),
        "--suggested-port", port.ToString(CultureInfo.InvariantCulture),
        "--renew-interval", "2",
        "--request-timeout", requestTimeout,
        .. extra,
    ];

    public static DaemonProcess Start(NetworkNamespace ns, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var binary = Environment.GetEnvironmentVariable("PPS_DAEMON");
        var process = binary is { Length: > 0 }
            ? ns.Start(binary, args, environment)
            : ns.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "proton-port-sync.dll"), .. args], environment);
        return new DaemonProcess(process);
    }

    /// <summary>Waits (bounded) for a log line with this stable event id, e.g. 2002 "port changed".</summary>
    public Task<string> WaitForEventAsync(int eventId, TimeSpan timeout, string? containing = null)
    {
        var id = $"[{eventId.ToString(CultureInfo.InvariantCulture)}]";
        return Process.WaitForLineAsync(l => l.Contains(id, StringComparison.Ordinal) && (containing is null || l.Contains(containing, StringComparison.Ordinal)), timeout);
    }

    /// <summary>Sends SIGTERM and waits (bounded) for the exit; returns the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        Process.Signal(15);
        if (!Process.WaitForExit(timeout))
        {
            throw new TimeoutException($"the daemon did not stop within {timeout} of SIGTERM; output:\n{Output}");
        }

        return Process.ExitCode;
    }

    public void Dispose() => Process.Dispose();
}
