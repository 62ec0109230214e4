using System.Net.Sockets;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Cli;
using ProtonPortSync.Configuration;
using ProtonPortSync.Hosting;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Hosting;

/// <summary>
/// Property-based fuzzing (CsCheck) of the flags + environment parser: whatever the flags and variables hold, no
/// exception escapes, a rejection always says why, and nothing invalid is accepted (every accepted set of options
/// satisfies the invariants below, and the selected client's adapter builds from it).
/// </summary>
public sealed class DaemonOptionsParserFuzzTests : IDisposable
{
    private const long Iterations = 2000;

    private static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("pps-fuzz-").FullName;
    private static readonly string SecretPath = WriteSecret();

    private static readonly string[] Interesting =
    [
        "", " ", "0", "1", "2", "-1", "59", "60", "61", "120", "3600", "65535", "65536", "99999999999", "1e3", "0x10", "٣",
        "10.2.0.1", "10.2.0.1:5351", "10.2.0.1:0", "10.2", "::1", "[::1]:9834", "127.0.0.1:9834", "localhost:9834", "127.0.0.1:0",
        "http://127.0.0.1:8080", "https://qbt.lan/prefix/", "ftp://x", "http://u:p@h/", "http://h/?q=1", "http://h/#f", "localhost:8112",
        "wg0", "a b", "this-name-is-too-long", "wireguard-wg0.service", "a/b.service",
        "/tmp/x", "/run/pps/port", "/run/dir/", "/nonexistent/secret", SecretPath, "relative/port", "/a\nb", "/a\tb", "/a\0b",
        "true", "false", "yes", "maybe", "qbittorrent", "Transmission", "deluge", "file", "none", "rtorrent",
        "systemd", "command", "debug", "info", "loud", "\n", "\r\n", "a\nb\n\nc", "echo $1", "exit 3", "é", new string('x', 5000),
    ];

    private static readonly Gen<string> Value = Gen.Frequency<string>(
        (4, Gen.OneOf(Interesting)),
        (1, Gen.String[Gen.Char, 0, 40]),
        (1, Gen.String[Gen.Char["0123456789.:/-\n abc"], 0, 12]));

    private static readonly OptionSpec[] Specs = OptionSpecs.All;

    /// <summary>Values each flag accepts (or nearly), so that a good share of the inputs passes and is checked.</summary>
    private static readonly Dictionary<string, string[]> Plausible = new(StringComparer.Ordinal)
    {
        ["--gateway"] = ["10.2.0.1", "10.2.0.1:5351", "127.0.0.1:1"],
        ["--bind-address"] = ["10.2.0.2", "127.0.0.1"],
        ["--interface"] = ["wg0", "proton0"],
        ["--internal-port"] = ["0", "40000", "65535"],
        ["--suggested-port"] = ["0", "1", "40000"],
        ["--lifetime"] = ["2", "60", "7200"],
        ["--request-timeout"] = ["1", "5", "59"],
        ["--renew-interval"] = ["1", "30", "45"],
        ["--max-failures"] = ["1", "3", "100"],
        ["--client"] = ["qbittorrent", "transmission", "deluge", "file", "none"],
        ["--reannounce"] = ["true", "false", "1", "off"],
        ["--port-file"] = ["/run/pps/a", "/tmp/b port", "relative/c"],
        ["--on-change-command"] = ["echo $1", "nft add element inet fw ports { $1 }", "exit 3"],
        ["--hook-timeout"] = ["1", "30", "3600"],
        ["--recovery"] = ["systemd", "none", "command"],
        ["--recovery-command"] = ["wg-quick down wg0; wg-quick up wg0"],
        ["--recovery-cooldown"] = ["0", "10"],
        ["--max-recoveries-per-hour"] = ["0", "4", "60"],
        ["--metrics-addr"] = ["127.0.0.1:9834", "[::1]:9834", "localhost:1"],
        ["--log-level"] = ["debug", "warning", "info"],
        ["--qbt-url"] = ["http://127.0.0.1:8080", "https://qbt.lan/prefix/"],
        ["--qbt-user"] = ["admin", "me"],
        ["--qbt-password-file"] = [SecretPath],
        ["--qbt-api-key-file"] = [SecretPath],
        ["--transmission-url"] = ["http://127.0.0.1:9091/transmission/rpc"],
        ["--transmission-user"] = ["", "tr"],
        ["--transmission-password-file"] = [SecretPath],
        ["--deluge-url"] = ["http://127.0.0.1:8112/json"],
        ["--deluge-password-file"] = [SecretPath],
    };

    private static Gen<string> ValueFor(OptionSpec spec) => Gen.Frequency<string>(
        (6, Gen.OneOf(Plausible.GetValueOrDefault(spec.Name) ?? [spec.DefaultValue ?? string.Empty])),
        (2, Value));

    private static readonly Gen<(OptionSpec Spec, string[] Values)> Entry =
        Gen.Int[0, Specs.Length - 1].SelectMany(i => ValueFor(Specs[i]).Array[1, Specs[i].IsList ? 3 : 1].Select(v => (Specs[i], v)));

    private static readonly Gen<(Dictionary<string, string[]> Flags, Dictionary<string, string> Environment)> Inputs =
        Gen.Select(
            Entry.Array[0, 6],
            Entry.Array[0, 6],
            (flags, env) => (
                flags.GroupBy(f => f.Spec.Name).ToDictionary(g => g.Key, g => g.Last().Values, StringComparer.Ordinal),
                env.GroupBy(e => Variable(e.Spec, e.Values[0].Length)).ToDictionary(g => g.Key, g => string.Join('\n', g.Last().Values), StringComparer.Ordinal)));

    public void Dispose()
    {
        // The directory is shared by every test of the class; it is removed with the process's temporary files.
    }

    [Fact]
    public void Parse_AnyFlagsAndEnvironment_NoExceptionAndNothingInvalidAccepted()
    {
        var accepted = 0;
        Inputs.Sample(input =>
        {
            var parser = new DaemonOptionsParser(s => input.Flags.TryGetValue(s.Name, out var v) ? v : null, e => input.Environment.GetValueOrDefault(e));

            var options = parser.Parse();

            if (options is null)
            {
                Assert.NotEmpty(parser.Errors);
                Assert.All(parser.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
                return;
            }

            Assert.Empty(parser.Errors);
            AssertValid(options);
            Interlocked.Increment(ref accepted);
        }, iter: Iterations);

        // Not vacuous: a good share of the inputs is accepted, so the invariants were really checked.
        Assert.InRange(accepted, Iterations / 20, Iterations - 1);
    }

    [Fact]
    public void Parse_NatPmpOnly_AnyInput_NoExceptionAndValidNatPmpSettings()
        => Inputs.Sample(input =>
        {
            var options = new DaemonOptionsParser(s => input.Flags.TryGetValue(s.Name, out var v) ? v : null, e => input.Environment.GetValueOrDefault(e)).Parse(natPmpOnly: true);
            if (options is not null)
            {
                AssertNatPmpValid(options);
            }
        }, iter: Iterations);

    [Fact]
    public void CommandLine_AnyArguments_NoExceptionEscapes()
    {
        var tokens = Gen.Frequency<string>(
            (3, Gen.OneOf(Specs.SelectMany(s => s.Aliases.Prepend(s.Name)).Concat(["run", "probe", "doctor", "demo", "--json", "--help", "-h", "--", "--change-every", "--duration", "--internal-port-reply"]).ToArray())),
            (3, Value));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        // CsCheck samples on several threads: each sample gets its own command tree and output (a shared StringWriter
        // once failed with "Destination is too short" from two threads writing at once: the test's fault, not the CLI's).
        tokens.Array[0, 10].Sample(args =>
        {
            var root = CommandLineApp.Build(new ParsingHandlers(), e => environment.GetValueOrDefault(e));
            using var output = new StringWriter();
            var exit = CommandLineApp.InvokeAsync(root, args, output, output, CancellationToken.None).GetAwaiter().GetResult();
            Assert.InRange(exit, 0, 2);
        }, iter: 1000);
    }

    private static void AssertNatPmpValid(DaemonOptions o)
    {
        Assert.Equal(AddressFamily.InterNetwork, o.Gateway.AddressFamily);
        Assert.InRange(o.Gateway.Port, 1, 65535);
        Assert.True(o.BindAddress is { AddressFamily: AddressFamily.InterNetwork } || o.Interface is not null);
        if (o.Interface is { } i)
        {
            Assert.InRange(i.Length, 1, 15);
            Assert.DoesNotContain(i, c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/');
        }

        Assert.InRange(o.Lifetime, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(86400));
        Assert.InRange(o.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120));
    }

    private static void AssertValid(DaemonOptions o)
    {
        AssertNatPmpValid(o);
        Assert.True(o.RequestTimeout < o.Lifetime);
        Assert.InRange(o.RenewInterval, TimeSpan.FromSeconds(1), o.Lifetime - TimeSpan.FromSeconds(1));
        Assert.InRange(o.MaxFailures, 1, 100);
        Assert.InRange(o.HookTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3600));
        Assert.InRange(o.RecoveryCooldown, TimeSpan.Zero, TimeSpan.FromSeconds(3600));
        Assert.InRange(o.MaxRecoveriesPerHour, 0, 60);
        Assert.DoesNotContain(o.WgUnit, c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/');
        Assert.NotEmpty(o.WgUnit);
        Assert.True(o.Recovery != RecoveryKind.Command || !string.IsNullOrWhiteSpace(o.RecoveryCommand));
        Assert.All(o.PortFiles, p =>
        {
            Assert.DoesNotContain(p, char.IsControl);
            Assert.NotEmpty(Path.GetFileName(p));
        });
        Assert.Equal(o.PortFiles.Count, o.PortFiles.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Count());
        Assert.All(o.OnChangeCommands, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c));
            Assert.DoesNotContain('\0', c);
            Assert.InRange(c.Length, 1, DaemonOptionsParser.MaxCommandLength);
        });
        if (o.MetricsAddress is { } m)
        {
            Assert.InRange(m.Port, 1, 65535);
        }

        // The adapters validate their options again in their constructors: an accepted client must build.
        if (o.Client is { } client)
        {
            using var adapter = client.Create(TimeProvider.System, NullLoggerFactory.Instance) as IDisposable;
        }
    }

    private static string Variable(OptionSpec spec, int salt)
        => spec.EnvironmentAliases.Count > 0 && salt % 2 == 1 ? spec.EnvironmentAliases[0] : spec.EnvironmentVariable;

    private static string WriteSecret()
    {
        var path = Path.Combine(Directory, "secret");
        File.WriteAllText(path, "s3cret\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>Parses like the real handlers do, then stops: no daemon, probe or doctor runs.</summary>
    private sealed class ParsingHandlers : ICommandHandlers
    {
        public Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken) => Parse(options, natPmpOnly: false);

        public Task<int> ProbeAsync(DaemonOptionsParser options, bool json, CancellationToken cancellationToken) => Parse(options, natPmpOnly: true);

        public Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken) => Parse(options, natPmpOnly: false);

        public Task<int> DemoAsync(DaemonOptionsParser options, CancellationToken cancellationToken) => Parse(options, natPmpOnly: false);

        private static Task<int> Parse(DaemonOptionsParser parser, bool natPmpOnly)
            => Task.FromResult(parser.Parse(natPmpOnly) is null ? ExitCodes.Usage : ExitCodes.Ok);
    }
}
