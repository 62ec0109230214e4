using System.Globalization;
using ProtonPortSync.Processes;

namespace ProtonPortSync.Sinks;

/// <summary>
/// An <c>--on-change-command</c>: run as <c>/bin/sh -c CMD sh PORT</c> by the shared <see cref="ShellCommandRunner"/>
/// (own process group killed as a group on timeout, allowlisted environment, output logged line by line). The port
/// is <c>$1</c> and <c>FORWARDED_PORT</c>; <c>FORWARDED_PUBLIC_ADDRESS</c> when known; <c>FORWARDED_PREVIOUS_PORT</c>
/// is the port this hook last ran for successfully (the one a firewall hook opened before). Edge-triggered: once per
/// port, again only after a failure. Named by its position, never by its text (a command may hold a token).
/// </summary>
internal sealed class HookSink(int number, string command, TimeSpan timeout, ShellCommandRunner runner) : IPortSink
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The runner kills the group at the hook's timeout; the worker's own bound is a backstop after it.</summary>
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(10);

    public string Name { get; } = $"hook:{number.ToString(CultureInfo.InvariantCulture)}";

    public string Kind => "hook";

    public bool Recheck => false;

    public TimeSpan Timeout => timeout + Backstop;

    public async Task ApplyAsync(PortUpdate update, int? previousPort, CancellationToken cancellationToken)
    {
        var port = update.Port.ToString(CultureInfo.InvariantCulture);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { [PortVariables.Port] = port };
        if (update.PublicAddress is { } address)
        {
            variables[PortVariables.PublicAddress] = address.ToString();
        }

        if (previousPort is { } previous && previous != update.Port)
        {
            variables[PortVariables.PreviousPort] = previous.ToString(CultureInfo.InvariantCulture);
        }

        var run = new ShellCommand(command, timeout) { Arguments = [port], Variables = variables };
        var result = await runner.RunAsync(run, Name, cancellationToken);
        if (!result.Succeeded)
        {
            throw new SinkException($"{Name} {result.Describe()}");
        }
    }
}
