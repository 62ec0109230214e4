using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

/// <summary>bind-address-ipv4 for the doctor: read from settings.json in the config-dir that session-get names.</summary>
public sealed class TransmissionClientBindingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-tr-bind-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<TransmissionBinding> BindingAsync(string? settingsJson)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.ConfigDir = _directory;
        if (settingsJson is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(_directory, "settings.json"), settingsJson);
        }

        return await bed.Client().GetBindingAsync(CancellationToken.None);
    }

    [Fact]
    public async Task GetBindingAsync_SettingsSayTunnel_ThatAddressFromTheFile()
    {
        var binding = await BindingAsync("""{"bind-address-ipv4": "10.2.0.2", "peer-port": 51413}""");

        Assert.Equal("10.2.0.2", binding.BindAddressIPv4);
        Assert.Equal(Path.Combine(_directory, "settings.json"), binding.SettingsFile);
    }

    [Fact]
    public async Task GetBindingAsync_NotInSettings_TheDefaultEveryAddress()
    {
        var binding = await BindingAsync("""{"peer-port": 51413}""");

        Assert.Equal("0.0.0.0", binding.BindAddressIPv4);
        Assert.Contains("the default", binding.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{not json")]
    public async Task GetBindingAsync_NoFileOrNotJson_UnknownWithTheReason(string? settingsJson)
    {
        var binding = await BindingAsync(settingsJson);

        Assert.Null(binding.BindAddressIPv4);
        Assert.Contains("could not be read", binding.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBindingAsync_NoConfigDir_Unknown()
    {
        using var bed = new TransmissionTestBed();

        var binding = await bed.Client().GetBindingAsync(CancellationToken.None);

        Assert.Null(binding.BindAddressIPv4);
        Assert.Null(binding.SettingsFile);
    }
}
