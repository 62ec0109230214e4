namespace ProtonPortSync.Recovery;

/// <summary>A recovery action could not be carried out; the message says why and what to do.</summary>
internal sealed class RecoveryException : Exception
{
    public RecoveryException()
    {
    }

    public RecoveryException(string message)
        : base(message)
    {
    }

    public RecoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
