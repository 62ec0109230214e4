using System.Diagnostics;
using System.Text;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>Runs short-lived commands (ip, nft, ss, …) with a bounded wait and returns what they printed.</summary>
internal static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static ShellResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }

        if (!p.WaitForExit(timeout ?? DefaultTimeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout ?? DefaultTimeout}");
        }

        p.WaitForExit();
        return new ShellResult(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a command and throws with its output when it exits non-zero.</summary>
    public static string Check(string file, params string[] args)
    {
        var r = Run(file, args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` exited {r.ExitCode}: {r.StdErr}{r.StdOut}");
        }

        return r.StdOut;
    }
}

internal readonly record struct ShellResult(int ExitCode, string StdOut, string StdErr);
