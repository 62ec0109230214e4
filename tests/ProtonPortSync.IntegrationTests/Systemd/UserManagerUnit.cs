namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// Turns a shipped unit into one a user manager can run, changing nothing else. Removed: the directives that need
/// privileges a user manager lacks (identity, sandboxing, capabilities, seccomp, cgroup limits it cannot delegate
/// here), since the manager would refuse or ignore them; their effect is scored separately by
/// <c>systemd-analyze security</c>. Rewritten: the binary path (to the build under test) and each LoadCredential
/// source (to the test's secret file). Kept: dependencies, ordering, [Install], Type=notify, NotifyAccess,
/// WatchdogSec, Restart=, StateDirectory=, ExecStart's arguments and specifiers — what the tests exercise.
/// </summary>
internal static class UserManagerUnit
{
    public const string ShippedBinary = "/usr/local/bin/proton-port-sync";

    /// <summary>Directives a user manager cannot apply; MemoryDenyWriteExecute also because the JIT build needs W+X pages.</summary>
    public static readonly IReadOnlySet<string> Removed = new HashSet<string>(StringComparer.Ordinal)
    {
        "DynamicUser", "User", "Group", "PrivateUsers", "NoNewPrivileges", "CapabilityBoundingSet", "AmbientCapabilities",
        "RestrictSUIDSGID", "PrivateTmp", "PrivateDevices", "DevicePolicy", "PrivateMounts", "RemoveIPC",
        "ProtectSystem", "ProtectHome", "ProtectProc", "ProcSubset", "ProtectKernelTunables", "ProtectKernelModules",
        "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname", "LockPersonality",
        "MemoryDenyWriteExecute", "RestrictRealtime", "RestrictNamespaces", "KeyringMode", "RestrictAddressFamilies",
        "SystemCallArchitectures", "SystemCallFilter", "SystemCallErrorNumber", "MemoryMax", "TasksMax", "ReadWritePaths",
    };

    /// <summary>The unit for the user manager. <paramref name="daemonCommand"/> replaces the shipped binary path.</summary>
    public static string Transform(string unitText, string daemonCommand, string credentialSource)
    {
        var lines = new List<string>();
        foreach (var line in unitText.Split('\n'))
        {
            var key = Key(line);
            if (key is not null && Removed.Contains(key))
            {
                continue;
            }

            if (key == "ExecStart")
            {
                lines.Add(line.Replace(ShippedBinary, daemonCommand, StringComparison.Ordinal));
            }
            else if (key == "LoadCredential")
            {
                var id = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Split(':')[0];
                lines.Add($"LoadCredential={id}:{credentialSource}");
            }
            else
            {
                lines.Add(line);
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>What runs the daemon under test: PPS_DAEMON (the NativeAOT binary) or dotnet with the build's dll.</summary>
    public static string DaemonCommand()
        => System.Environment.GetEnvironmentVariable("PPS_DAEMON") is { Length: > 0 } binary
            ? binary
            : $"/usr/bin/dotnet {Path.Combine(AppContext.BaseDirectory, "proton-port-sync.dll")}";

    private static string? Key(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith('#') || trimmed.StartsWith(';') || trimmed.StartsWith('['))
        {
            return null;
        }

        var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? trimmed[..eq].Trim() : null;
    }
}
