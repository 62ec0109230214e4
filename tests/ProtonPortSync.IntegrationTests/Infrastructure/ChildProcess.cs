using System.Diagnostics;
using System.Text;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A long-running peer (miniupnpd, qbittorrent-nox, the daemon) started by a test. Stopped by its own PID on
/// dispose: SIGTERM, then SIGKILL after a bounded wait. Never by name.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        var p = new Process { StartInfo = psi };
        var child = new ChildProcess(p, $"{file} {string.Join(' ', psi.ArgumentList)}");
        p.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return child;
    }

    /// <summary>Completes when a line of output matches, or throws after <paramref name="timeout"/> with the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            foreach (var line in _output.ToString().Split('\n'))
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waiters.Add((match, tcs));
        }

        try
        {
            return await tcs.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_output)
            {
                _waiters.RemoveAll(w => w.Done == tcs);
            }

            throw new TimeoutException($"no matching line from {Description} within {timeout}; output:\n{Output}");
        }
    }

    /// <summary>Sends a signal to this process alone (by PID).</summary>
    public void Signal(int signal) => Shell.Run("kill", [$"-{signal}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Waits for exit within a bound; returns false if still running.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // The parameterless wait also waits for the redirected output to be read to its end.
        _process.WaitForExit();
        return true;
    }

    public void Stop(TimeSpan? grace = null)
    {
        try
        {
            if (_process.HasExited)
            {
                return;
            }

            Signal(15);
            if (!_process.WaitForExit(grace ?? TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Done.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
