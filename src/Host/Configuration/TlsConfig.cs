using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>TLS on the client port (our field <c>tls</c>): https/wss only, with a PEM certificate and key reloaded when
/// their files change. See docs/configuration.md, "TLS".</summary>
/// <param name="CertFile">PEM certificate file: the server certificate first, then any intermediates (Let's Encrypt's fullchain.pem).</param>
/// <param name="KeyFile">PEM private key file of that certificate (Let's Encrypt's privkey.pem).</param>
public sealed record TlsConfig(
    [property: JsonPropertyName("cert_file")] string CertFile = "",
    [property: JsonPropertyName("key_file")] string KeyFile = "");
