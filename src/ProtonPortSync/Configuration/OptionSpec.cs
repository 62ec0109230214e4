namespace ProtonPortSync.Configuration;

/// <summary>How a flag takes its value.</summary>
internal enum OptionShape
{
    /// <summary>One value (<c>--gateway 10.2.0.1</c>).</summary>
    Value,

    /// <summary>A switch: present means true, or an explicit true/false (<c>--reannounce</c>).</summary>
    Flag,

    /// <summary>Repeatable (<c>--port-file A --port-file B</c>); its environment variable holds one value per line.</summary>
    List,
}

/// <summary>
/// One command-line flag: its name, the environment variable that stands in for it (the original daemon's names
/// where it had one), its default, and its help text. The single source for parsing, help and docs.
/// </summary>
internal sealed record OptionSpec(string Name, string EnvironmentVariable, string? DefaultValue, string Description, OptionShape Shape = OptionShape.Value)
{
    /// <summary>Older names of the flag that keep working (<c>--qbt-reannounce</c> for <c>--reannounce</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Older environment variables read when <see cref="EnvironmentVariable"/> is unset.</summary>
    public IReadOnlyList<string> EnvironmentAliases { get; init; } = [];

    public bool IsFlag => Shape == OptionShape.Flag;

    public bool IsList => Shape == OptionShape.List;
}
