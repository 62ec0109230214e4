using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients;

/// <summary>What the modules share when they turn parsed flags into a setup.</summary>
internal static class TorrentClientSetup
{
    /// <summary>
    /// Validates <paramref name="options"/> with the adapter's own rules (the only copy of them) and records each
    /// problem; returns the setup when the flags parsed (<paramref name="parsed"/>) and the options are valid.
    /// </summary>
    public static ITorrentClientSetup? Validated<TOptions>(OptionReader reader, TOptions options, bool parsed, Func<TOptions, ITorrentClientSetup> setup)
        where TOptions : ITorrentClientOptions
    {
        var errors = options.Validate();
        foreach (var error in errors)
        {
            reader.Error(error);
        }

        return parsed && errors.Count == 0 ? setup(options) : null;
    }
}
