namespace GatewayProxy.Ingress;

/// <summary>A reshard cannot start; the message says why (identify budget too low, a partial shard range, a bad count).</summary>
public sealed class ReshardRefusedException : Exception
{
    /// <summary>Creates the exception with an explanation.</summary>
    public ReshardRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an explanation and its cause.</summary>
    public ReshardRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no explanation.</summary>
    public ReshardRefusedException()
    {
    }
}
