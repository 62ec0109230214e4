using Microsoft.Extensions.Logging;
using ProtonPortSync.Hosting;

namespace ProtonPortSync.Cli;

internal sealed partial class CommandHandlers
{
    public async Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: false, out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        using var loggers = ConsoleLogging.Create(parsed.LogLevel, _environment);
        return await DaemonHost.RunAsync(parsed, loggers, _time, cancellationToken);
    }

    public async Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: false, out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        // The verdicts say it all; the components' own log lines only on request.
        using var loggers = ConsoleLogging.Create(options.WasGiven(OptionSpecs.LogLevel) ? parsed.LogLevel : LogLevel.Critical, _environment);
        return await DoctorHost.RunAsync(parsed, _stdout, _time, loggers, cancellationToken);
    }

    public async Task<int> DemoAsync(DaemonOptionsParser options, TimeSpan changeEvery, int durationSeconds, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: false, out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        using var loggers = ConsoleLogging.Create(options.WasGiven(OptionSpecs.LogLevel) ? parsed.LogLevel : LogLevel.Warning, _environment);
        return await DemoCommand.RunAsync(parsed, options, changeEvery, durationSeconds, _stdout, _time, loggers, cancellationToken);
    }
}
