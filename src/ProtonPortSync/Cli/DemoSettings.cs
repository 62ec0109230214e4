using ProtonPortSync.Configuration;
using ProtonPortSync.Demo;

namespace ProtonPortSync.Cli;

/// <summary>The demo's own settings, validated like every other flag (exit 2 and a message naming the flag).</summary>
/// <param name="ChangeEvery">How often the emulated gateway moves the port.</param>
/// <param name="Duration">When to stop on its own; null runs until Ctrl+C.</param>
/// <param name="InternalPortReply">What the emulated gateway answers in the internal port field.</param>
internal sealed record DemoSettings(TimeSpan ChangeEvery, TimeSpan? Duration, InternalPortReply InternalPortReply)
{
    public static DemoSettings Read(OptionReader reader)
    {
        var changeEvery = reader.Int(DemoOptionSpecs.ChangeEvery, 1, DemoOptionSpecs.MaxSeconds, $"a whole number of seconds from 1 to {DemoOptionSpecs.MaxSeconds}");
        var duration = reader.Int(DemoOptionSpecs.Duration, 0, DemoOptionSpecs.MaxSeconds, $"a whole number of seconds from 1 to {DemoOptionSpecs.MaxSeconds}, or 0 to run until Ctrl+C");
        var reply = Array.IndexOf(DemoOptionSpecs.InternalPortReplies, reader.Choice(DemoOptionSpecs.InternalPortReply, DemoOptionSpecs.InternalPortReplies));
        return new DemoSettings(
            TimeSpan.FromSeconds(changeEvery),
            duration == 0 ? null : TimeSpan.FromSeconds(duration),
            reply switch
            {
                1 => InternalPortReply.Zero,
                2 => InternalPortReply.ExternalPort,
                _ => InternalPortReply.Echo,
            });
    }
}
