using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProtonPortSync.Configuration;

/// <summary>Typed readers: each returns a usable value (the default on error) and records what was wrong.</summary>
internal sealed partial class OptionReader
{
    public int Int(OptionSpec spec, int min, int max, string what)
    {
        var text = Raw(spec, out _) ?? string.Empty;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
        {
            return v;
        }

        Error(spec, text, $"must be {what}");
        return Math.Clamp(int.TryParse(spec.DefaultValue, CultureInfo.InvariantCulture, out var d) ? d : min, min, max);
    }

    public string Choice(OptionSpec spec, IReadOnlyList<string> choices)
    {
        var text = (Raw(spec, out _) ?? string.Empty).Trim();
        var match = choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(spec, text, $"must be one of {string.Join(", ", choices)}");
            return spec.DefaultValue ?? choices[0];
        }

        return match;
    }

    public bool Bool(OptionSpec spec)
    {
        var text = (Raw(spec, out _) ?? "false").Trim().ToUpperInvariant();
        switch (text)
        {
            case "TRUE" or "1" or "YES" or "ON":
                return true;
            case "FALSE" or "0" or "NO" or "OFF" or "":
                return false;
            default:
                Error(spec, text, "must be true or false");
                return false;
        }
    }

    /// <summary>An http(s) URL without credentials or query; null (and an error) otherwise.</summary>
    public Uri? Url(OptionSpec spec, string what)
    {
        var text = Raw(spec, out _) ?? string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        Error(spec, text, $"must be an http:// or https:// URL of {what} without credentials, query or fragment, e.g. {spec.DefaultValue}");
        return null;
    }

    /// <summary>A secret file's path (null when not set); with <paramref name="mustExist"/>, the shared secret-file check must pass.</summary>
    public string? File(OptionSpec spec, bool mustExist)
    {
        var path = Raw(spec, out _);
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            Error(spec, path, "must be a file path");
            return null;
        }

        if (mustExist && SecretFile.Problem(path, "secret file") is { } problem)
        {
            Error(spec, path, problem.TrimEnd('.'));
        }

        return path;
    }

    /// <summary>
    /// A CA file's path (null when not set), checked as the daemon will use it: a regular file of at most 1 MiB with
    /// at least one PEM certificate. Only a given CA file is read, so an http:// set-up never loads OpenSSL.
    /// </summary>
    public string? CaFile(OptionSpec spec)
    {
        var path = Raw(spec, out _);
        if (path is null || path.Length == 0)
        {
            return path;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            Error(spec, path, "must be a file path");
            return null;
        }

        if (TorrentClients.Tls.CaFile.Problem(path, spec.Name) is { } problem)
        {
            Error(spec, path, problem.TrimEnd('.'));
        }

        return path;
    }

    public IPAddress? IPv4(OptionSpec spec, string? text)
    {
        if (text is not null && IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3)
        {
            return a;
        }

        Error(spec, text ?? string.Empty, "must be an IPv4 address such as 10.2.0.2 (the tunnel's address)");
        return null;
    }
}
