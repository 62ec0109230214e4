using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>Reads, writes and scores systemd unit files.</summary>
internal static partial class SystemdUnitFile
{
    /// <summary>Section → key → values (a key given on several lines keeps every value, in order).</summary>
    public static Dictionary<string, Dictionary<string, List<string>>> Parse(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        Dictionary<string, List<string>>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                current = [];
                sections[line.Trim('[', ']')] = current;
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (current is null || eq < 0)
            {
                throw new FormatException($"not a unit file line: {line}");
            }

            var key = line[..eq];
            if (!current.TryGetValue(key, out var values))
            {
                values = [];
                current[key] = values;
            }

            values.Add(line[(eq + 1)..]);
        }

        return sections;
    }

    /// <summary>The values NixOS would write for one serviceConfig entry (lists become repeated lines).</summary>
    public static List<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => ["yes"],
        JsonValueKind.False => ["no"],
        JsonValueKind.Number => [value.GetRawText()],
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Values).ToList(),
        _ => throw new FormatException($"unexpected serviceConfig value {value}"),
    };

    /// <summary>Writes the unit NixOS would generate from systemd.services.&lt;name&gt; (the parts we set).</summary>
    public static string Render(JsonElement service)
    {
        var sb = new StringBuilder();
        sb.Append("[Unit]\n");
        sb.Append("Description=").Append(service.GetProperty("description").GetString()).Append('\n');
        foreach (var (nixName, key) in new[] { ("after", "After"), ("bindsTo", "BindsTo"), ("wants", "Wants") })
        {
            sb.Append(key).Append('=').AppendJoin(' ', Values(service.GetProperty(nixName))).Append('\n');
        }

        sb.Append("\n[Service]\n");
        foreach (var entry in service.GetProperty("serviceConfig").EnumerateObject())
        {
            foreach (var v in Values(entry.Value))
            {
                sb.Append(entry.Name).Append('=').Append(v).Append('\n');
            }
        }

        sb.Append("\n[Install]\nWantedBy=").AppendJoin(' ', Values(service.GetProperty("wantedBy"))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Overall exposure from `systemd-analyze security --offline=true` (0.0 best, 10.0 worst).</summary>
    public static double SecurityExposure(string absoluteUnitPath)
    {
        var r = Shell.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", "--threshold=20", absoluteUnitPath]);
        var m = ExposureLine().Match(r.StdOut);
        Assert.True(m.Success, $"no exposure line in systemd-analyze output (exit {r.ExitCode}): {r.StdErr}{r.StdOut}");
        var exposure = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(r.ExitCode == 0, $"systemd-analyze exited {r.ExitCode} (exposure {exposure} above threshold 2.0):\n{r.StdOut}");
        return exposure;
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
