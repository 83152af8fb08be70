namespace GatewayProxy.Tests.Support;

/// <summary>The connection closed while a payload was awaited.</summary>
public sealed class GatewayClosedException(ushort? code, string reason) : Exception($"gateway connection closed ({code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no close frame"}): {reason}")
{
    /// <summary>The close code, or null when the TCP connection ended without a close frame.</summary>
    public ushort? Code { get; } = code;
}
