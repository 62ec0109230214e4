namespace ProtonPortSync.Cli;

internal sealed partial class CommandHandlers
{
    public Task<int> RunAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
    {
        if (!TryParse(options, natPmpOnly: false, out _))
        {
            return Task.FromResult(CommandLineApp.ExitUsage);
        }

        throw new NotImplementedException("daemon lands in the next commit");
    }

    public Task<int> DoctorAsync(DaemonOptionsParser options, CancellationToken cancellationToken)
        => RunAsync(options, cancellationToken);

    public Task<int> DemoAsync(DaemonOptionsParser options, TimeSpan changeEvery, int durationSeconds, CancellationToken cancellationToken)
        => RunAsync(options, cancellationToken);
}
