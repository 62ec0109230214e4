using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Recovery;

public sealed class NoRecoveryActionTests
{
    [Fact]
    public async Task RecoverAsync_Always_CompletesAndDescribesItselfAsNone()
    {
        var action = new NoRecoveryAction();
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
        Assert.Equal("none", action.Description);
    }
}
