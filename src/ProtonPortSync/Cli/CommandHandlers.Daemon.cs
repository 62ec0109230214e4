using Microsoft.Extensions.Logging;
using ProtonPortSync.Hosting;

namespace ProtonPortSync.Cli;

internal sealed partial class CommandHandlers
{
    public async Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: false, command: null, out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        using var loggers = ConsoleLogging.Create(parsed.LogLevel, _environment);
        return await DaemonHost.RunAsync(parsed, loggers, _time, cancellationToken);
    }

    public async Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: false, "doctor", out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        // The verdicts say it all; the components' own log lines only on request.
        using var loggers = ConsoleLogging.Create(options.WasGiven(OptionSpecs.LogLevel) ? parsed.LogLevel : LogLevel.Critical, _environment);
        return await DoctorHost.RunAsync(parsed, _stdout, _time, loggers, cancellationToken);
    }

    public async Task<int> DemoAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
    {
        // The demo's own flags first, through the same reader: every error, its own and the daemon's, is listed at once.
        var demo = DemoSettings.Read(options.Reader);
        if (!TryParse(options, natPmpOnly: false, "demo", out var parsed))
        {
            return CommandLineApp.ExitUsage;
        }

        using var loggers = ConsoleLogging.Create(options.WasGiven(OptionSpecs.LogLevel) ? parsed.LogLevel : LogLevel.Warning, _environment);
        return await DemoCommand.RunAsync(parsed, options, demo, _stdout, _time, loggers, cancellationToken);
    }
}
