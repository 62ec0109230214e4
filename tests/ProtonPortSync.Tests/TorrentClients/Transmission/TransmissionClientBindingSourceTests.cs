using System.Text;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

/// <summary>Where the doctor's bind-address-ipv4 comes from: session-get (4.x), or settings.json, or why it is unknown.</summary>
public sealed class TransmissionClientBindingSourceTests : IDisposable
{
    private const int MaxSettingsBytes = 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("pps-tr-bind-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string SettingsFile => Path.Combine(_directory, "settings.json");

    [Fact]
    public async Task GetBindingAsync_SessionGetReportsTheAddress_UsedWithoutReadingTheFile()
    {
        using var bed = new TransmissionTestBed();
        var configDir = _directory.Replace("\\", "\\\\", StringComparison.Ordinal);
        bed.Fake.Intercept = r => r.Headers.Contains("X-Transmission-Session-Id")
            ? TransmissionFake.Json($$"""{"arguments":{"bind-address-ipv4":"10.2.0.2","config-dir":"{{configDir}}"},"result":"success"}""")
            : null;
        await File.WriteAllTextAsync(SettingsFile, """{"bind-address-ipv4": "0.0.0.0"}""");

        var binding = await bed.Client().GetBindingAsync(CancellationToken.None);

        Assert.Equal(new TransmissionBinding("10.2.0.2", "session-get", SettingsFile), binding);
    }

    [Fact]
    public async Task GetBindingAsync_AsksSessionGetForBothFields()
    {
        // Transmission answers only the fields asked for: without them neither the address nor the config-dir comes back.
        using var bed = new TransmissionTestBed();

        await bed.Client().GetBindingAsync(CancellationToken.None);

        var request = Assert.Single(bed.Fake.Requests, r => r.Method == "session-get" && r.SessionId is not null);
        Assert.Contains("\"fields\":[\"bind-address-ipv4\",\"config-dir\"]", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBindingAsync_NoConfigDir_SaysSo()
    {
        using var bed = new TransmissionTestBed();

        var binding = await bed.Client().GetBindingAsync(CancellationToken.None);

        Assert.Equal(new TransmissionBinding(null, "session-get names no config-dir", null), binding);
    }

    [Fact]
    public async Task GetBindingAsync_SettingsAddressNotValidText_UnknownAndSaysWhy()
    {
        await File.WriteAllTextAsync(SettingsFile, """{"bind-address-ipv4": "\ud800"}""");

        var binding = await BindingAsync();

        Assert.Equal(new TransmissionBinding(null, $"{SettingsFile} (bind-address-ipv4 is not valid text)", SettingsFile), binding);
    }

    [Fact]
    public async Task GetBindingAsync_SettingsLargerThanOneMebibyte_NotReadAndSaysWhy()
    {
        await File.WriteAllTextAsync(SettingsFile, Padded("""{"bind-address-ipv4": "10.2.0.2"}""", MaxSettingsBytes + 1));

        var binding = await BindingAsync();

        Assert.Null(binding.BindAddressIPv4);
        Assert.Equal($"{SettingsFile} is larger than 1048576 bytes", binding.Source);
        Assert.Equal(SettingsFile, binding.SettingsFile);
    }

    [Fact]
    public async Task GetBindingAsync_SettingsExactlyOneMebibyte_Read()
    {
        await File.WriteAllTextAsync(SettingsFile, Padded("""{"bind-address-ipv4": "10.2.0.2"}""", MaxSettingsBytes));

        var binding = await BindingAsync();

        Assert.Equal(new TransmissionBinding("10.2.0.2", SettingsFile, SettingsFile), binding);
    }

    [Theory]
    [InlineData("""{"bind-address-ipv4": 10}""")] // not text
    [InlineData("""["bind-address-ipv4", "10.2.0.2"]""")]
    public async Task GetBindingAsync_SettingsWithoutATextAddress_TheDefault(string settings)
    {
        await File.WriteAllTextAsync(SettingsFile, settings);

        var binding = await BindingAsync();

        Assert.Equal(new TransmissionBinding("0.0.0.0", $"{SettingsFile} (not set: the default)", SettingsFile), binding);
    }

    private async Task<TransmissionBinding> BindingAsync()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.ConfigDir = _directory;
        return await bed.Client().GetBindingAsync(CancellationToken.None);
    }

    private static string Padded(string json, int bytes)
    {
        var builder = new StringBuilder(json, bytes);
        builder.Insert(1, new string(' ', bytes - Encoding.UTF8.GetByteCount(json)));
        return builder.ToString();
    }
}
