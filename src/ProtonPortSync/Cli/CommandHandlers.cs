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
        if (!TryParse(options, natPmpOnly: true, "probe", out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        // Not given: warnings only (the probe prints its own result); given, even as "information": as asked.
        using var loggers = ConsoleLogging.Create(options.WasGiven(OptionSpecs.LogLevel) ? parsed.LogLevel : LogLevel.Warning, _environment);
        return await ProbeCommand.RunAsync(parsed, json, _stdout, _time, loggers, cancellationToken);
    }

    /// <summary>
    /// Parses; on invalid values writes them to stderr in the house form (one error: two lines; several: a count,
    /// one line each, the help line) and returns false, for exit code 2.
    /// </summary>
    private bool TryParse(DaemonOptionsParser parser, bool natPmpOnly, string? command, out DaemonOptions options)
    {
        var parsed = parser.Parse(natPmpOnly);
        if (parsed is null)
        {
            var path = command is null ? CommandLineApp.ProgramName : $"{CommandLineApp.ProgramName} {command}";
            if (parser.Errors.Count == 1)
            {
                _stderr.WriteLine($"{path}: {parser.Errors[0]}");
            }
            else
            {
                _stderr.WriteLine($"{path}: {parser.Errors.Count} invalid settings:");
                foreach (var e in parser.Errors)
                {
                    _stderr.WriteLine($"  {e}");
                }
            }

            _stderr.WriteLine(UsageErrors.HelpLine(path));
            options = null!;
            return false;
        }

        options = parsed;
        return true;
    }
}
