namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>A harness body: runs one input; throws only when it finds a bug.</summary>
public delegate void FuzzBody(ReadOnlySpan<byte> input);
