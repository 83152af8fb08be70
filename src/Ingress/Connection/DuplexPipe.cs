using System.IO.Pipelines;

namespace GatewayProxy.Ingress.Connection;

/// <summary>A reader and a writer that come from different places, seen as one <see cref="IDuplexPipe"/>.</summary>
internal sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
