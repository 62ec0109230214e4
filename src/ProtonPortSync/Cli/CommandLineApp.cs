using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using ProtonPortSync.Configuration;
using ProtonPortSync.Hosting;

namespace ProtonPortSync.Cli;

/// <summary>
/// The command line: `proton-port-sync [run]` (the daemon), `probe`, `doctor`, `demo`. Every flag falls back to
/// its environment variable, then its default (see <see cref="OptionSpecs"/>). Errors in the command line itself
/// (an unknown flag, a missing value) are reported by <see cref="UsageErrors"/> in the same short form as invalid
/// values: what was wrong, the accepted form, where to look; exit code 2.
/// </summary>
internal static class CommandLineApp
{
    public const string ProgramName = "proton-port-sync";
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitFailure = ExitCodes.Failure;
    public const int ExitUsage = ExitCodes.Usage;

    public static RootCommand Build(ICommandHandlers handlers, Func<string, string?> environment)
    {
        var root = new RootCommand("Keeps a BitTorrent client's listening port equal to the port a ProtonVPN gateway forwards over NAT-PMP (RFC 6886).");
        var run = new Command("run", "Run the daemon (the default when no command is given).");
        var probe = new Command("probe", "One public-address request and one UDP and one TCP mapping, printed; exit 0 when the gateway answers.");
        var json = new Option<bool>("--json") { Description = "Print the probe's result as JSON.", Arity = ArgumentArity.Zero };
        var doctor = new Command("doctor", "Check the setup, one line per check with a verdict and a fix; exit 0 when all pass.");
        var demo = new Command("demo", "Run the daemon against a built-in ProtonVPN-like gateway on loopback, syncing into qBittorrent (--qbt-url) or a port file.");

        // System.CommandLine options belong to one command each, so every command gets its own instances.
        foreach (var spec in OptionSpecs.All)
        {
            root.Options.Add(ToOption(spec));
            run.Options.Add(ToOption(spec));
            doctor.Options.Add(ToOption(spec));
        }

        // probe and demo print for a person: their logs start at warning, and the demo renews every 5 s. Help shows
        // those defaults (parsing still reads the daemon's spec; each command applies its own default when unset).
        foreach (var spec in OptionSpecs.NatPmp)
        {
            probe.Options.Add(ToOption(spec == OptionSpecs.LogLevel ? spec with { DefaultValue = ProbeCommand.DefaultLogLevel } : spec));
        }

        foreach (var spec in DemoOptionSpecs.All)
        {
            demo.Options.Add(ToOption(DemoOptionSpecs.WithDemoDefault(spec)));
        }

        probe.Options.Add(json);

        // The demo reads only its own variables: a TORRENT_CLIENT or NATPMP_GATEWAY of the real set-up in the same
        // shell must not change it, just as the flags it does not take are refused.
        var demoVariables = DemoOptionSpecs.All.SelectMany(s => s.EnvironmentAliases.Prepend(s.EnvironmentVariable)).ToHashSet(StringComparer.Ordinal);
        string? DemoEnvironment(string name) => demoVariables.Contains(name) ? environment(name) : null;

        root.SetAction((r, ct) => handlers.RunAsync(Parser(r, environment), ct));
        run.SetAction((r, ct) => handlers.RunAsync(Parser(r, environment), ct));
        probe.SetAction((r, ct) => handlers.ProbeAsync(Parser(r, environment), r.GetValue(json), ct));
        doctor.SetAction((r, ct) => handlers.DoctorAsync(Parser(r, environment), ct));
        demo.SetAction((r, ct) => handlers.DemoAsync(Parser(r, DemoEnvironment), ct));

        root.Subcommands.Add(run);
        root.Subcommands.Add(probe);
        root.Subcommands.Add(doctor);
        root.Subcommands.Add(demo);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. System.CommandLine's own error handling (the error, then the whole
    /// help, exit 1) is replaced: a command-line error is two lines on <paramref name="stderr"/> and exit 2.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            await stderr.WriteLineAsync(UsageErrors.Describe(result));
            return ExitUsage;
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null };
        return await result.InvokeAsync(config, cancellationToken);
    }

    private static Option ToOption(OptionSpec spec)
    {
        var help = $"{spec.Description} [env: {string.Join(", ", (string[])[spec.EnvironmentVariable, .. spec.EnvironmentAliases])}]";
        if (spec.DefaultValue is not null && !spec.IsFlag)
        {
            help += $" [default: {spec.DefaultValue}]";
        }

        // A switch takes no value on the command line (help shows it bare); its variable still takes true/false.
        Option option = spec.Shape switch
        {
            OptionShape.List => new Option<string[]>(spec.Name, [.. spec.Aliases]) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false },
            OptionShape.Flag => new Option<bool>(spec.Name, [.. spec.Aliases]) { Arity = ArgumentArity.Zero },
            _ => new Option<string>(spec.Name, [.. spec.Aliases]) { Arity = ArgumentArity.ExactlyOne },
        };
        option.Description = help;
        return option;
    }

    private static DaemonOptionsParser Parser(ParseResult result, Func<string, string?> environment)
        => new(spec => FlagValue(result, spec), environment);

    private static string[]? FlagValue(ParseResult result, OptionSpec spec)
    {
        var optionResult = result.GetResult(spec.Name) as OptionResult;
        if (optionResult is null || optionResult.Implicit)
        {
            return null;
        }

        if (spec.IsFlag)
        {
            return ["true"];
        }

        if (spec.IsList)
        {
            return optionResult.GetValueOrDefault<string[]>() ?? [];
        }

        return [optionResult.GetValueOrDefault<string>() ?? string.Empty];
    }
}

/// <summary>What each command does once its flags are parsed; implemented at the composition root.</summary>
internal interface ICommandHandlers
{
    Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken);

    Task<int> ProbeAsync(DaemonOptionsParser options, bool json, CancellationToken cancellationToken);

    Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken);

    /// <summary>`demo`: <paramref name="options"/> reads only <see cref="DemoOptionSpecs.All"/>.</summary>
    Task<int> DemoAsync(DaemonOptionsParser options, CancellationToken cancellationToken);
}
