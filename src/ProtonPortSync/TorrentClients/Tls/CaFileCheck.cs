using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients.Tls;

/// <summary>
/// The CA file passes the check <c>run</c> applies at start (<see cref="CaFile.Load"/>: a regular file of at most
/// 1 MiB holding PEM certificates), and none of its certificates has expired (an expired root verifies nothing).
/// </summary>
internal sealed class CaFileCheck(string path, string flag, TimeProvider time) : IDoctorCheck
{
    public const string Name = "CA file";

    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection? certificates = null;
        try
        {
            certificates = CaFile.Load(path, flag);
            var now = time.GetUtcNow().UtcDateTime;
            var expired = certificates.Where(c => c.NotAfter.ToUniversalTime() < now || c.NotBefore.ToUniversalTime() > now).Select(CaFile.Describe).ToList();
            var listed = string.Join(", ", certificates.Select(CaFile.Describe));
            return Task.FromResult(expired.Count > 0
                ? DoctorResult.Fail(Name, $"'{path}' ({flag}) holds a certificate that is not valid now: {string.Join(", ", expired)}", "renew the WebUI's certificate (or its CA) and put the new one in the file")
                : DoctorResult.Ok(Name, $"'{path}' ({flag}) holds {certificates.Count} certificate(s): {listed}"));
        }
        catch (CaFileException ex)
        {
            return Task.FromResult(DoctorResult.Fail(Name, ex.Message, $"point {flag} at a PEM file (at most 1 MiB) with the server's certificate or the CA that signed it"));
        }
        finally
        {
            CaFile.Dispose(certificates);
        }
    }
}
