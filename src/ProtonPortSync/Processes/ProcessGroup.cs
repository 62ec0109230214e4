using System.Runtime.InteropServices;

namespace ProtonPortSync.Processes;

/// <summary>kill(2) on a whole process group: a command's children (a background <c>sleep &amp;</c>) go with it.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Sends SIGKILL to every process of the group whose id is <paramref name="groupId"/>; false if none is left.</summary>
    public static bool Kill(int groupId)
    {
        if (groupId <= 1)
        {
            // -1 would mean "every process we may signal", and 0 our own group: never.
            return false;
        }

        return KillNative(-groupId, SigKill) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);
}
