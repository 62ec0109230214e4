using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Fakes;

internal sealed class FakeRecoveryAction(FakeTimeProvider time) : IRecoveryAction
{
    public string Description => "fake restart";

    public List<DateTimeOffset> Runs { get; } = [];

    public bool Fail { get; set; }

    /// <summary>What the loop told each run.</summary>
    public List<RecoveryContext> Contexts { get; } = [];

    public Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        Runs.Add(time.GetUtcNow());
        Contexts.Add(context);
        return Fail ? throw new RecoveryException("fake recovery refused") : Task.CompletedTask;
    }
}
