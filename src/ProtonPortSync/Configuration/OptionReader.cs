namespace ProtonPortSync.Configuration;

/// <summary>
/// Where each setting comes from: the flag's values on the command line (null when absent), else its environment
/// variable (or an older alias of it), else its default. Collects every error, each naming the flag or variable
/// that was wrong, so the user fixes them all in one go. Typed readers are in <c>OptionReader.Values.cs</c>.
/// </summary>
internal sealed partial class OptionReader
{
    /// <summary>The separator of list values in an environment variable: a newline, which no sane path contains.</summary>
    public const char ListSeparator = '\n';

    private readonly Func<OptionSpec, IReadOnlyList<string>?> _flag;
    private readonly Func<string, string?> _environment;
    private readonly List<string> _errors = [];

    public OptionReader(Func<OptionSpec, IReadOnlyList<string>?> flagValues, Func<string, string?> environment)
    {
        _flag = flagValues;
        _environment = environment;
    }

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>True when the user set this option by flag or environment variable (not by default).</summary>
    public bool WasGiven(OptionSpec spec)
    {
        Raw(spec, out var given);
        return given;
    }

    /// <summary>Records an error that is not about one value (e.g. two flags that exclude each other).</summary>
    public void Error(string message) => _errors.Add(message);

    /// <summary>Records an error about the value of <paramref name="spec"/>, naming where it came from.</summary>
    public void Error(OptionSpec spec, string value, string what) => _errors.Add($"{Source(spec, value)}: {what}.");

    /// <summary>The value (last one, for a repeated flag) or the default; null when neither.</summary>
    public string? Raw(OptionSpec spec, out bool given)
    {
        var flag = _flag(spec);
        string? value = flag is { Count: > 0 } ? flag[^1] : EnvironmentValue(spec, out _);
        given = value is not null;
        return value ?? spec.DefaultValue;
    }

    /// <summary>
    /// Every value of a repeatable option: all the flag's values, else the environment variable's lines (empty
    /// lines skipped; a trailing '\r' dropped), else none.
    /// </summary>
    public IReadOnlyList<string> RawList(OptionSpec spec)
    {
        if (_flag(spec) is { Count: > 0 } flags)
        {
            return flags;
        }

        var text = EnvironmentValue(spec, out _);
        if (text is null)
        {
            return [];
        }

        return text.Split(ListSeparator).Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
    }

    private string? EnvironmentValue(OptionSpec spec, out string variable)
    {
        foreach (var name in (IEnumerable<string>)[spec.EnvironmentVariable, .. spec.EnvironmentAliases])
        {
            var value = _environment(name);
            if (!string.IsNullOrEmpty(value))
            {
                variable = name;
                return value;
            }
        }

        variable = spec.EnvironmentVariable;
        return null;
    }

    private string Source(OptionSpec spec, string value)
    {
        if (_flag(spec) is { Count: > 0 })
        {
            return $"{spec.Name} '{value}'";
        }

        return EnvironmentValue(spec, out var variable) is not null ? $"{variable}='{value}'" : $"{spec.Name} default '{value}'";
    }
}
