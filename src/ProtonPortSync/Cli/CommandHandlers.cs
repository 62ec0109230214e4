using Microsoft.Extensions.Logging;
using ProtonPortSync.Hosting;

namespace ProtonPortSync.Cli;

/// <summary>Each command: parses and validates its flags, then hands over to the composition root (Hosting) or the probe.</summary>
internal sealed partial class CommandHandlers : ICommandHandlers
{
    private readonly Func<string, string?> _environment;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly TimeProvider _time;

    public CommandHandlers(Func<string, string?> environment, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        _environment = environment;
        _stdout = stdout;
        _stderr = stderr;
        _time = time;
    }

    public async Task<int> ProbeAsync(DaemonOptionsParser options, bool json, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: true, out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        using var loggers = ConsoleLogging.Create(parsed.LogLevel == LogLevel.Information ? LogLevel.Warning : parsed.LogLevel, _environment);
        return await ProbeCommand.RunAsync(parsed, json, _stdout, _time, loggers, cancellationToken);
    }

    private bool TryParse(DaemonOptionsParser parser, bool natPmpOnly, out DaemonOptions options)
    {
        var parsed = parser.Parse(natPmpOnly);
        if (parsed is null)
        {
            _stderr.WriteLine($"proton-port-sync: {parser.Errors.Count} invalid setting(s):");
            foreach (var e in parser.Errors)
            {
                _stderr.WriteLine($"  {e}");
            }

            _stderr.WriteLine("Run with --help for every flag and its environment variable.");
            options = null!;
            return false;
        }

        options = parsed;
        return true;
    }
}
