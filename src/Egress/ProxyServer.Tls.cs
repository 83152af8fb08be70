using System.Net;
using System.Net.Sockets;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Server;
using GatewayProxy.Egress.Tls;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress;

/// <summary>TLS on the client port (docs/configuration.md, "TLS"): the certificate and its reloading, and the handshake
/// before a connection is served like a plain one.</summary>
public sealed partial class ProxyServer
{
    /// <summary>The certificate served right now (null without TLS).</summary>
    public ServerCertificate? Certificate => _certificates?.Current;

    /// <summary>Checks the certificate files now instead of waiting for the watcher or the poll; true when a new
    /// certificate is served from now on.</summary>
    public bool ReloadCertificate() => _certificates?.TryReload() ?? false;

    private static CertificateReloader? LoadCertificate(EgressOptions options, ILogger logger)
    {
        if (options.TlsCertificateFile is not { } certFile || options.TlsKeyFile is not { } keyFile) return null;
        if (!ServerCertificate.TryLoad(certFile, keyFile, DateTimeOffset.UtcNow, out ServerCertificate? certificate, out string? error))
        {
            throw new TlsCertificateException(error!);
        }

        string fullPath = Path.GetFullPath(certFile);
        EgressLog.TlsLoaded(logger, certificate!.Leaf.Thumbprint, certificate.Leaf.NotAfter, fullPath);
        return new CertificateReloader(certFile, keyFile, certificate, logger, options.TlsPollInterval);
    }

    /// <summary>With TLS: the handshake (bounded like the HTTP request), then the same serving as plain connections.</summary>
    private async Task HandleTlsConnectionAsync(Socket socket, IPAddress address, bool admitted, long acceptedAt)
    {
        TlsTransport? transport = null;
        try
        {
            if (!admitted)
            {
                // Dropped before the handshake: a peer over its limit gets none of our CPU for key exchanges.
                _context.Metrics.Refused(RefusalReason.PerIpLimit);
                return;
            }

            using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                EgressOptions options = _context.Options;
                handshakeTimeout.CancelAfter(options.HandshakeTimeout < options.UnauthenticatedTimeout ? options.HandshakeTimeout : options.UnauthenticatedTimeout);
                try
                {
                    transport = await TlsTransport.AcceptAsync(socket, _certificates!.Current, SendOptions, ReceiveOptions, handshakeTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
                {
                    if (!_stop.IsCancellationRequested) _context.Metrics.Refused(RefusalReason.TlsHandshake);
                    EgressLog.TlsHandshakeFailed(_context.Logger, address, e.Message);
                    return;
                }
            }

            await ServeAsync(transport, acceptedAt, transport).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EgressLog.ConnectionFailed(_context.Logger, e);
        }
        finally
        {
            if (transport is not null) transport.Dispose();
            else socket.Dispose();
            if (admitted) _limiter.Release(address);
        }
    }
}
