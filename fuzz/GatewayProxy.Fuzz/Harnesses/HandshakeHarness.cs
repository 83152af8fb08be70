using System.Buffers;
using GatewayProxy.Protocol.Http;

namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>
/// Fuzzes the HTTP handshake parsers. Input: byte 0 = options (bit 0 client-side response parser instead of the
/// server's request parser, bit 1 tiny limits), byte 1 = segment size for the split parse, then the bytes received.
/// </summary>
/// <remarks>
/// Oracles: one segment and many segments give the same result; Invalid carries a status (400/414/431/505) and a
/// reason, Incomplete neither; a Complete head parses again, alone, to the same end, and one byte less of it is
/// Incomplete; an upgrade that validates has a valid key and gets a well-formed 101 answer.
/// </remarks>
public static class HandshakeHarness
{
    /// <summary>The client key the response parser expects (RFC 6455's sample nonce).</summary>
    public const string ClientKey = "dGhlIHNhbXBsZSBub25jZQ==";

    private static readonly HttpRequestLimits Tiny = new(MaxRequestLineBytes: 48, MaxHeaderCount: 4, MaxHeaderBytes: 160);

    /// <summary>Runs one input.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        byte options = input[0];
        int segment = 1 + (input[1] % 32);
        byte[] data = input[2..].ToArray();
        if ((options & 1) != 0)
        {
            RunResponse(data, segment);
            return;
        }

        HttpRequestLimits limits = (options & 2) != 0 ? Tiny : HttpRequestLimits.Default;
        Outcome whole = ParseRequest(new ReadOnlySequence<byte>(data), limits, out HttpRequest? request);
        Outcome split = ParseRequest(Segments.Split(data, segment), limits, out _);
        FuzzFailureException.Check(whole == split, $"request: one segment gave {whole}, {segment}-byte segments gave {split}");
        if (whole.Status != HttpParseStatus.Complete)
        {
            return;
        }

        Outcome exact = ParseRequest(new ReadOnlySequence<byte>(data, 0, (int)whole.Consumed), limits, out _);
        FuzzFailureException.Check(exact == whole, $"request: the head alone gave {exact}, not {whole}");
        Outcome shorter = ParseRequest(new ReadOnlySequence<byte>(data, 0, (int)whole.Consumed - 1), limits, out _);
        FuzzFailureException.Check(shorter.Status == HttpParseStatus.Incomplete, $"request: the head less one byte gave {shorter}");
        CheckUpgrade(request!);
    }

    private static void RunResponse(byte[] data, int segment)
    {
        Outcome whole = ParseResponse(new ReadOnlySequence<byte>(data));
        Outcome split = ParseResponse(Segments.Split(data, segment));
        FuzzFailureException.Check(whole == split, $"response: one segment gave {whole}, {segment}-byte segments gave {split}");
        if (whole.Status == HttpParseStatus.Complete)
        {
            FuzzFailureException.Check(whole.ErrorStatus == 101, "response: complete but not 101");
            Outcome shorter = ParseResponse(new ReadOnlySequence<byte>(data, 0, (int)whole.Consumed - 1));
            FuzzFailureException.Check(shorter.Status == HttpParseStatus.Incomplete, $"response: the head less one byte gave {shorter}");
        }
    }

    private static Outcome ParseRequest(ReadOnlySequence<byte> buffer, HttpRequestLimits limits, out HttpRequest? request)
    {
        HttpParseStatus status = HttpRequestParser.TryParse(buffer, limits, out request, out SequencePosition consumed, out int errorStatus, out string? reason);
        long offset = buffer.Slice(buffer.Start, consumed).Length;
        switch (status)
        {
            case HttpParseStatus.Complete:
                FuzzFailureException.Check(request is not null && offset > 0 && reason is null && errorStatus == 0, "request: Complete without a request, an end, or with an error");
                break;
            case HttpParseStatus.Incomplete:
                FuzzFailureException.Check(request is null && offset == 0 && reason is null && errorStatus == 0, "request: Incomplete with a request, consumption or error");
                break;
            case HttpParseStatus.Invalid:
                FuzzFailureException.Check(request is null && reason is not null && errorStatus is 400 or 414 or 431 or 505, $"request: Invalid with status {errorStatus} and reason '{reason}'");
                break;
            default:
                throw new FuzzFailureException("request: unknown status " + status);
        }

        return new Outcome(status, offset, errorStatus);
    }

    private static Outcome ParseResponse(ReadOnlySequence<byte> buffer)
    {
        HttpParseStatus status = WebSocketHandshake.TryParseClientResponse(buffer, ClientKey, out SequencePosition consumed, out int statusCode, out string? reason);
        long offset = buffer.Slice(buffer.Start, consumed).Length;
        FuzzFailureException.Check((status == HttpParseStatus.Invalid) == (reason is not null), $"response: {status} with reason '{reason}'");
        FuzzFailureException.Check(status == HttpParseStatus.Complete ? offset > 0 : offset == 0, "response: consumed without completing");
        return new Outcome(status, offset, status == HttpParseStatus.Complete ? statusCode : 0);
    }

    private static void CheckUpgrade(HttpRequest request)
    {
        // Query parsing runs on every client connection (v, encoding, compress): it must take any target.
        _ = request.GetQueryValue("v");
        _ = request.GetQueryValue("encoding");
        _ = request.GetQueryValue("compress");
        if (!WebSocketHandshake.TryValidateUpgrade(request, out int status, out string? reason))
        {
            FuzzFailureException.Check(status is 400 or 426 && reason is not null, $"upgrade: rejected with {status} '{reason}'");
            return;
        }

        string? key = request.WebSocketKey;
        FuzzFailureException.Check(key is not null && WebSocketHandshake.IsValidKey(key), "upgrade: accepted without a valid key");
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteSwitchingProtocols(output, key!);
        ReadOnlySpan<byte> answer = output.WrittenSpan;
        FuzzFailureException.Check(answer.StartsWith("HTTP/1.1 101 "u8) && answer.EndsWith("\r\n\r\n"u8), "upgrade: malformed 101 answer");
    }

    /// <summary>What a parse reported: status, bytes consumed, and the HTTP status (error, or 101 for a response).</summary>
    private readonly record struct Outcome(HttpParseStatus Status, long Consumed, int ErrorStatus);
}
