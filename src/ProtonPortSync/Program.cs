using System.Runtime.InteropServices;
using ProtonPortSync.Cli;

namespace ProtonPortSync;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stopping = new CancellationTokenSource();

        // SIGTERM (systemd stop) and SIGINT (Ctrl+C) cancel the run; the daemon then deletes its mappings and exits.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var handlers = new CommandHandlers(Environment.GetEnvironmentVariable, Console.Out, Console.Error, TimeProvider.System);
        var root = CommandLineApp.Build(handlers, Environment.GetEnvironmentVariable);
        return await CommandLineApp.InvokeAsync(root, args, Console.Out, Console.Error, stopping.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }
}
