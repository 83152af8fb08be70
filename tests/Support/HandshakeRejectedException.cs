namespace GatewayProxy.Tests.Support;

/// <summary>The server answered the upgrade with something other than 101.</summary>
public sealed class HandshakeRejectedException(int status, string response, string? reason) : Exception($"upgrade refused ({status}): {reason}")
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The raw response received.</summary>
    public string Response { get; } = response;
}
