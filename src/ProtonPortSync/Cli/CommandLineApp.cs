using System.CommandLine;
using System.CommandLine.Parsing;
using ProtonPortSync.Configuration;
using ProtonPortSync.Hosting;

namespace ProtonPortSync.Cli;

/// <summary>
/// The command line: `proton-port-sync [run]` (the daemon), `probe`, `doctor`, `demo`. Every flag falls back to
/// its environment variable, then its default (see <see cref="OptionSpecs"/>).
/// </summary>
internal static class CommandLineApp
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitFailure = ExitCodes.Failure;
    public const int ExitUsage = ExitCodes.Usage;

    public static RootCommand Build(ICommandHandlers handlers, Func<string, string?> environment)
    {
        // System.CommandLine options belong to one command each, so every command gets its own instances.
        var all = OptionSpecs.All.ToDictionary(s => s, ToOption);
        var root = new RootCommand("Keeps a BitTorrent client's listening port equal to the port a ProtonVPN gateway forwards over NAT-PMP (RFC 6886).");

        var run = new Command("run", "Run the daemon (the default when no command is given).");
        var probe = new Command("probe", "One public-address request and one UDP and one TCP mapping, printed; exit 0 when the gateway answers.");
        var json = new Option<bool>("--json") { Description = "Print the probe's result as JSON." };
        var doctor = new Command("doctor", "Check the setup, one line per check with a verdict and a fix; exit 0 when all pass.");
        var demo = new Command("demo", "Run the daemon against a built-in ProtonVPN-like gateway on loopback, syncing into qBittorrent (--qbt-url) or a port file.");
        var demoChangeEvery = new Option<int>("--change-every") { Description = "Seconds between the emulated gateway's port changes (default 20).", DefaultValueFactory = _ => 20 };
        var demoDuration = new Option<int>("--duration") { Description = "Stop after this many seconds (0 = until Ctrl+C).", DefaultValueFactory = _ => 0 };

        foreach (var (spec, option) in all)
        {
            root.Options.Add(option);
            run.Options.Add(ToOption(spec));
            doctor.Options.Add(ToOption(spec));
            demo.Options.Add(ToOption(spec));
            if (OptionSpecs.NatPmp.Contains(spec))
            {
                probe.Options.Add(ToOption(spec));
            }
        }

        probe.Options.Add(json);
        demo.Options.Add(demoChangeEvery);
        demo.Options.Add(demoDuration);

        root.SetAction((r, ct) => handlers.RunAsync(Parser(r, environment), ct));
        run.SetAction((r, ct) => handlers.RunAsync(Parser(r, environment), ct));
        probe.SetAction((r, ct) => handlers.ProbeAsync(Parser(r, environment), r.GetValue(json), ct));
        doctor.SetAction((r, ct) => handlers.DoctorAsync(Parser(r, environment), ct));
        demo.SetAction((r, ct) => handlers.DemoAsync(Parser(r, environment), TimeSpan.FromSeconds(Math.Max(1, r.GetValue(demoChangeEvery))), r.GetValue(demoDuration), ct));

        root.Subcommands.Add(run);
        root.Subcommands.Add(probe);
        root.Subcommands.Add(doctor);
        root.Subcommands.Add(demo);
        return root;
    }

    private static Option ToOption(OptionSpec spec)
    {
        var help = $"{spec.Description} [env: {string.Join(", ", (string[])[spec.EnvironmentVariable, .. spec.EnvironmentAliases])}]";
        if (spec.DefaultValue is not null && !spec.IsFlag)
        {
            help += $" [default: {spec.DefaultValue}]";
        }

        Option option = spec.IsList
            ? new Option<string[]>(spec.Name, [.. spec.Aliases]) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false }
            : new Option<string>(spec.Name, [.. spec.Aliases]) { Arity = spec.IsFlag ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne };
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

        if (spec.IsList)
        {
            return optionResult.GetValueOrDefault<string[]>() ?? [];
        }

        var value = optionResult.GetValueOrDefault<string>();
        return [value ?? (spec.IsFlag ? "true" : string.Empty)];
    }
}

/// <summary>What each command does once its flags are parsed; implemented at the composition root.</summary>
internal interface ICommandHandlers
{
    Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken);

    Task<int> ProbeAsync(DaemonOptionsParser options, bool json, CancellationToken cancellationToken);

    Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken);

    Task<int> DemoAsync(DaemonOptionsParser options, TimeSpan changeEvery, int durationSeconds, CancellationToken cancellationToken);
}
