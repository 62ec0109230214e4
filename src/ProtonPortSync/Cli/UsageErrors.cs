using System.CommandLine;
using System.CommandLine.Parsing;

namespace ProtonPortSync.Cli;

/// <summary>
/// Command-line errors in the house form, two lines: what was wrong (the first problem; fixing it shows the next),
/// then the accepted form and where the full list is. The same form as an invalid value (<see cref="CommandHandlers"/>).
/// </summary>
internal static class UsageErrors
{
    public static string Describe(ParseResult result)
    {
        var command = CommandPath(result.CommandResult);
        return $"{command}: {Problem(result)}{Environment.NewLine}Usage: {command} [flags]; '{command} --help' lists every flag it accepts.";
    }

    /// <summary>The help line of an invalid-value error, for the same command.</summary>
    public static string HelpLine(string command) => $"'{command} --help' lists every flag, its environment variable and its default.";

    /// <summary>"proton-port-sync demo", whatever the executable is called.</summary>
    public static string CommandPath(CommandResult? command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parent as CommandResult)
        {
            names.Add(c.Command is RootCommand ? CommandLineApp.ProgramName : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Problem(ParseResult result)
    {
        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            var name = result.CommandResult.Command is RootCommand ? "run" : result.CommandResult.Command.Name;
            return token.StartsWith('-')
                ? $"unknown flag '{token}' ({name} does not take it)."
                : $"unexpected argument '{token}' (a flag takes one value, --flag VALUE, and a switch such as --reannounce none; quote a value that has spaces).";
        }

        var error = result.Errors[0];
        if (error.SymbolResult is OptionResult option)
        {
            var flag = option.IdentifierToken?.Value ?? option.Option.Name;
            return option.Tokens.Count == 0
                ? $"{flag} needs a value ({flag} VALUE)."
                : $"{flag} takes one value; give it once, or for a list repeat the flag ({flag} A {flag} B).";
        }

        return error.Message;
    }
}
