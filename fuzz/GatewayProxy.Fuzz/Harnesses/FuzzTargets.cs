namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>Every harness, by name; shared by the AFL entry point and the corpus replay tests.</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in a fixed order.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("frame-reader", "WebSocketMessageReader, server and client roles, whole vs chunked feeding", FrameReaderHarness.Run),
        new("handshake", "HTTP request head parser + upgrade validation, and the client's 101 response parser", HandshakeHarness.Run),
        new("envelope", "EnvelopeScanner fast + structural + strict paths against System.Text.Json", EnvelopeHarness.Run),
        new("zlib-stream", "ZlibStreamDecoder on raw messages and on encoder round trips", CompressionHarness.RunZlib),
        new("zstd-stream", "ZstdStreamDecoder on raw messages and on encoder round trips", CompressionHarness.RunZstd),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name)
    {
        foreach (FuzzTarget target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.Ordinal))
            {
                return target;
            }
        }

        return null;
    }
}
