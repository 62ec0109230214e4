using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProtonPortSync.TorrentClients.Tls;

/// <summary>
/// Decides whether a client's WebUI/RPC certificate is trusted, and remembers why the last one was not, so the
/// failure the adapter reports says what was wrong and what to do instead of .NET's "the remote certificate was
/// rejected". With a CA file, the chain must end in one of its certificates (custom root trust: the system store is not
/// consulted); without one, the system store decides. The host name is always checked and verification is never off.
/// Created only for an https:// URL, so an http:// set-up never loads OpenSSL.
/// </summary>
internal sealed class ServerCertificateTrust
{
    private readonly string _displayName;
    private readonly Uri _url;
    private readonly string? _caFile;
    private readonly string _caFileFlag;
    private readonly Lock _rootsLock = new();
    private byte[]? _rootsBytes;
    private X509Certificate2Collection? _roots;
    private string? _refusal;

    /// <param name="displayName">The client as an operator calls it ("qBittorrent").</param>
    /// <param name="url">The https:// URL, for messages.</param>
    /// <param name="caFile">The PEM file of trusted certificates, or null for the system's store.</param>
    /// <param name="caFileFlag">The option that sets it ("--qbt-ca-file"), for messages.</param>
    public ServerCertificateTrust(string displayName, Uri url, string? caFile, string caFileFlag)
    {
        _displayName = displayName;
        _url = url;
        _caFile = caFile;
        _caFileFlag = caFileFlag;
    }

    /// <summary>Puts the decision into <paramref name="handler"/>'s TLS options.</summary>
    public void Apply(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
    }

    /// <summary>
    /// The message for a failed TLS handshake: what was refused and what to do, when this trust refused the
    /// certificate; null when the handshake failed for another reason (e.g. the port does not speak TLS). Taken once.
    /// </summary>
    public string? TakeRefusal()
    {
        var why = Interlocked.Exchange(ref _refusal, null);
        return why is null ? null : $"{_displayName} at {_url} presented a TLS certificate that is not trusted: {why}";
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? why;
        if (_caFile is null)
        {
            why = Refusal(certificate as X509Certificate2, chain, errors, roots: null, _url.IdnHost);
        }
        else
        {
            try
            {
                why = Refusal(certificate as X509Certificate2, chain, errors, Roots(_caFile), _url.IdnHost);
            }
            catch (CaFileException e)
            {
                why = e.Message;
            }
        }

        why = why is null ? null : why + " " + Advice(errors, why);
        Volatile.Write(ref _refusal, why);
        return why is null;
    }

    /// <summary>
    /// Why the certificate is refused, in words (null: trusted). <paramref name="errors"/> and <paramref name="chain"/>
    /// are the system's verdict; with <paramref name="roots"/> the chain is built again against those roots only, the
    /// intermediates the server sent still usable. Revocation is not checked: a self-signed WebUI certificate has no
    /// CRL, and the daemon may have no route to one.
    /// </summary>
    internal static string? Refusal(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? roots, string host)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate.";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"name mismatch: the URL names '{host}' but the certificate is for {Names(certificate)}.";
        }

        if (roots is null)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                ? ChainProblem(certificate, chain?.ChainStatus ?? [], "the system's trust store")
                : null;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        try
        {
            return custom.Build(certificate) ? null : ChainProblem(certificate, custom.ChainStatus, "the CA file");
        }
        finally
        {
            foreach (var element in custom.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    private static string ChainProblem(X509Certificate2 certificate, X509ChainStatus[] status, string trusted)
    {
        var flags = status.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return $"expired or not yet valid: the certificate {CaFile.Describe(certificate)} (now {DateTime.UtcNow:yyyy-MM-dd}).";
        }

        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            var self = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? "self-signed " : string.Empty;
            return $"untrusted chain: the {self}certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') does not lead to a certificate in {trusted}.";
        }

        var details = string.Join("; ", status.Select(s => $"{s.Status}: {PeerText.Clean(s.StatusInformation.Trim())}"));
        return $"invalid chain for '{certificate.Subject}' ({details}).";
    }

    private string Advice(SslPolicyErrors errors, string why)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"Use a URL with one of the certificate's names, or give the WebUI a certificate whose subjectAltName holds '{_url.IdnHost}'.";
        }

        if (why.StartsWith("expired", StringComparison.Ordinal))
        {
            return $"Renew {_displayName}'s certificate (and update {_caFileFlag} if it holds that certificate).";
        }

        return _caFile is null
            ? $"Give {_caFileFlag} with the server's certificate or the CA that signed it (PEM); verification is never turned off."
            : $"Put the server's certificate or the CA that signed it in '{_caFile}' ({_caFileFlag}).";
    }

    private static string Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames().Select(n => $"DNS:{n}"));
                names.AddRange(san.EnumerateIPAddresses().Select(a => $"IP:{a}"));
            }
        }

        return names.Count > 0 ? string.Join(", ", names.Select(PeerText.Clean)) : $"'{PeerText.Clean(certificate.Subject)}' (no subjectAltName)";
    }

    /// <summary>The CA file's certificates, read again at each handshake (a replaced file is picked up) and parsed only when it changed.</summary>
    private X509Certificate2Collection Roots(string path)
    {
        var bytes = CaFile.Read(path, _caFileFlag);
        lock (_rootsLock)
        {
            if (_roots is null || _rootsBytes is null || !bytes.AsSpan().SequenceEqual(_rootsBytes))
            {
                var parsed = CaFile.Parse(bytes, path, _caFileFlag);
                CaFile.Dispose(_roots);
                (_roots, _rootsBytes) = (parsed, bytes);
            }

            return _roots;
        }
    }
}
