using System.Globalization;
using ProtonPortSync.Configuration;
using ProtonPortSync.Hosting;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Cli;

/// <summary>
/// The flags of `demo`: its own, the daemon's few that make sense against the emulated gateway, and qBittorrent's
/// (the real-client mode). Nothing else is accepted, so a flag the demo would ignore is an error, not a surprise.
/// </summary>
internal static class DemoOptionSpecs
{
    public const int DefaultChangeEverySeconds = 20;
    public const int MaxSeconds = 86400;

    public static readonly OptionSpec ChangeEvery = new("--change-every", "DEMO_CHANGE_EVERY", DefaultChangeEverySeconds.ToString(CultureInfo.InvariantCulture), "Seconds between the emulated gateway's port changes (1 to 86400).");
    public static readonly OptionSpec Duration = new("--duration", "DEMO_DURATION", "0", "Stop after this many seconds (1 to 86400; 0 = until Ctrl+C).");
    public static readonly OptionSpec InternalPortReply = new("--internal-port-reply", "DEMO_INTERNAL_PORT_REPLY", "echo", "What the emulated gateway puts in a reply's internal port: echo (the request's, as RFC 6886 has it), zero, or external (the granted port), as ProtonVPN's gateways variously do.");

    /// <summary>The internal-port-reply values, in the order of <see cref="Demo.InternalPortReply"/>.</summary>
    public static readonly string[] InternalPortReplies = ["echo", "zero", "external"];

    /// <summary>The demo's log level when none is given: the printed story, not the daemon's log.</summary>
    public const string DefaultLogLevel = "warning";

    /// <summary>
    /// <paramref name="spec"/> with the default the demo applies when the flag is not given (for help): renewals every
    /// <see cref="DemoCommand.DemoRenewInterval"/> and logs from <see cref="DefaultLogLevel"/>.
    /// </summary>
    public static OptionSpec WithDemoDefault(OptionSpec spec)
    {
        if (spec == OptionSpecs.RenewInterval)
        {
            return spec with { DefaultValue = DemoCommand.DemoRenewInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture) };
        }

        return spec == OptionSpecs.LogLevel ? spec with { DefaultValue = DefaultLogLevel } : spec;
    }

    /// <summary>Everything `demo` accepts.</summary>
    public static readonly OptionSpec[] All =
    [
        ChangeEvery, Duration, InternalPortReply,
        OptionSpecs.PortFile, OptionSpecs.RenewInterval, OptionSpecs.MetricsAddr, OptionSpecs.LogLevel,
        .. QBittorrentModule.Instance.Options, OptionSpecs.Reannounce,
    ];
}
