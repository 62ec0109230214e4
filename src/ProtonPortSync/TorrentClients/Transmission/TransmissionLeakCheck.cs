using System.Net;
using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// Leak check: Transmission's peer listener is bound to the tunnel's address. <c>bind-address-ipv4</c> 0.0.0.0 (the
/// default) means every address: when the tunnel drops, Transmission goes on talking to peers outside the VPN. A
/// warning, not a failure: the port sync works either way.
/// </summary>
internal sealed class TransmissionLeakCheck(Func<CancellationToken, Task<TransmissionBinding>> readBinding, IPAddress? bindAddress, string? interfaceName) : IDoctorCheck
{
    public const string Name = "leak";

    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        TransmissionBinding binding;
        try
        {
            binding = await readBinding(cancellationToken);
        }
        catch (Exception ex) when (ex is TorrentClientException or SecretFileException)
        {
            return DoctorResult.Warn(Name, "Transmission's bind address not checked: its session could not be read (see the transmission line)", "fix that first, then run doctor again");
        }

        // With --interface the tunnel's address is that interface's; the doctor's bind-address line shows it.
        var tunnel = interfaceName is null ? bindAddress?.ToString() : null;
        var file = binding.SettingsFile ?? "Transmission's settings.json";
        var fix = $"stop transmission-daemon, set \"bind-address-ipv4\": \"{tunnel ?? "<the tunnel's address>"}\" in {file}, start it again (it rewrites the file when it stops)";
        if (binding.BindAddressIPv4 is not { } raw)
        {
            return DoctorResult.Warn(Name, $"Transmission's bind-address-ipv4 not checked: {binding.Source}", $"check it by hand: {fix}");
        }

        var shown = PeerText.Clean(raw);
        if (!IPAddress.TryParse(raw, out var address) || address.Equals(IPAddress.Any))
        {
            return DoctorResult.Warn(Name, $"Transmission listens on every address (bind-address-ipv4 {shown}, from {binding.Source}): if the tunnel drops, its traffic leaves outside the VPN", fix);
        }

        if (tunnel is not null && !string.Equals(address.ToString(), tunnel, StringComparison.Ordinal))
        {
            return DoctorResult.Warn(Name, $"Transmission is bound to {shown}, not to the tunnel's address {tunnel}: its traffic may leave outside the VPN", fix);
        }

        return DoctorResult.Ok(Name, $"Transmission is bound to {shown}{(tunnel is null ? string.Empty : ", the tunnel's address")}");
    }
}
