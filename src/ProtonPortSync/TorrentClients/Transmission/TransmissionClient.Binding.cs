using System.Text.Json;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// Which IPv4 address Transmission's peer listener is bound to (<c>bind-address-ipv4</c>), for the doctor's leak
/// check. The RPC of 3.00 does not report it, so when <c>session-get</c> leaves it out it is read from
/// <c>settings.json</c> in the <c>config-dir</c> that <c>session-get</c> names (same host, if readable).
/// </summary>
internal sealed partial class TransmissionClient
{
    private static readonly string[] BindingFields = ["bind-address-ipv4", "config-dir"];

    /// <summary>The most of settings.json that is read: Transmission's is a few KiB.</summary>
    private const int MaxSettingsBytes = 1024 * 1024;

    public Task<TransmissionBinding> GetBindingAsync(CancellationToken cancellationToken)
        => SerializedAsync(GetBindingCoreAsync, cancellationToken);

    private async Task<TransmissionBinding> GetBindingCoreAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync(new TransmissionRequest { Method = "session-get", Arguments = new() { Fields = BindingFields } }, cancellationToken);
        var configDir = response.Arguments?.ConfigDir;
        var settings = configDir is null ? null : Path.Combine(configDir, "settings.json");
        if (response.Arguments?.BindAddressIPv4 is { } reported)
        {
            return new TransmissionBinding(reported, "session-get", settings);
        }

        if (settings is null)
        {
            return new TransmissionBinding(null, "session-get names no config-dir", null);
        }

        try
        {
            var info = new FileInfo(settings);
            if (info.Exists && info.Length > MaxSettingsBytes)
            {
                return new TransmissionBinding(null, $"{settings} is larger than {MaxSettingsBytes} bytes", settings);
            }

            await using var stream = File.OpenRead(settings);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("bind-address-ipv4", out var value)
                && value.ValueKind == JsonValueKind.String
                ? PeerJson.String(value) is { } address
                    ? new TransmissionBinding(address, settings, settings)
                    : new TransmissionBinding(null, $"{settings} (bind-address-ipv4 is not valid text)", settings)

                // Absent from settings.json: Transmission's default, every address.
                : new TransmissionBinding("0.0.0.0", $"{settings} (not set: the default)", settings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return new TransmissionBinding(null, $"{settings} could not be read ({PeerText.Clean(ex.Message)})", settings);
        }
    }
}

/// <summary>Transmission's peer bind address as found, and where it was found.</summary>
/// <param name="BindAddressIPv4">The address, or null when it could not be found out.</param>
/// <param name="Source">Where it came from, or why it is unknown.</param>
/// <param name="SettingsFile">Transmission's settings.json, when its config-dir is known: where to change it.</param>
internal sealed record TransmissionBinding(string? BindAddressIPv4, string Source, string? SettingsFile);
