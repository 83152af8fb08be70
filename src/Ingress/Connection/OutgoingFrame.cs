using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Ingress.Connection;

/// <summary>One frame waiting to go upstream: a text payload, a pong, or a close; <see cref="Sent"/> completes once the transport took it.</summary>
internal sealed record OutgoingFrame(WebSocketOpcode Opcode, byte[] Payload, ushort CloseCode = 0, string? CloseReason = null, TaskCompletionSource<bool>? Sent = null);
