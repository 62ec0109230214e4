using ProtonPortSync.IntegrationTests.Infrastructure;
using static ProtonPortSync.IntegrationTests.Transmission.TransmissionClientIntegrationTests;

namespace ProtonPortSync.IntegrationTests.Transmission;

/// <summary>The doctor's leak check input on a real transmission-daemon 3.00: bind-address-ipv4 from its settings.json.</summary>
public sealed class TransmissionBindingIntegrationTests
{
    [Fact]
    public async Task GetBindingAsync_RealTransmission_ReadsTheBindAddressFromItsConfigDir()
    {
        using var tr = await TransmissionInstance.StartAsync(peerPort: 51413);
        using var client = Client(tr, tr.WritePasswordFile(), out _);

        var binding = await client.GetBindingAsync(CancellationToken.None);

        Assert.Equal("127.0.0.1", binding.BindAddressIPv4);
        Assert.NotNull(binding.SettingsFile);
        Assert.Equal(Path.GetFullPath(tr.Directory), Path.GetFullPath(Path.GetDirectoryName(binding.SettingsFile)!));
    }
}
