using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>Writes the payloads the proxy and the simulator craft themselves, compact and in Discord's wire order (t, s, op, d).</summary>
public static class GatewayPayloads
{
    /// <summary>op 10 HELLO: <c>{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":N}}</c>.</summary>
    public static void WriteHello(IBufferWriter<byte> o, int heartbeatIntervalMs)
    {
        Write(o, "{\"t\":null,\"s\":null,\"op\":10,\"d\":{\"heartbeat_interval\":"u8);
        WriteInteger(o, heartbeatIntervalMs);
        Write(o, "}}"u8);
    }

    /// <summary>op 11 HEARTBEAT_ACK.</summary>
    public static void WriteHeartbeatAck(IBufferWriter<byte> o) => Write(o, "{\"t\":null,\"s\":null,\"op\":11,\"d\":null}"u8);

    /// <summary>op 1 from the server: "heartbeat now".</summary>
    public static void WriteHeartbeatRequest(IBufferWriter<byte> o) => Write(o, "{\"t\":null,\"s\":null,\"op\":1,\"d\":null}"u8);

    /// <summary>op 7 RECONNECT.</summary>
    public static void WriteReconnect(IBufferWriter<byte> o) => Write(o, "{\"t\":null,\"s\":null,\"op\":7,\"d\":null}"u8);

    /// <summary>op 9 INVALID_SESSION with <c>d</c> telling whether the session can be resumed.</summary>
    public static void WriteInvalidSession(IBufferWriter<byte> o, bool resumable) =>
        Write(o, resumable ? "{\"t\":null,\"s\":null,\"op\":9,\"d\":true}"u8 : "{\"t\":null,\"s\":null,\"op\":9,\"d\":false}"u8);

    /// <summary>The RESUMED dispatch: <c>{"t":"RESUMED","s":N,"op":0,"d":{"_trace":["gateway-proxy"]}}</c>.</summary>
    public static void WriteResumed(IBufferWriter<byte> o, long seq) => WriteDispatch(o, "RESUMED"u8, seq, "{\"_trace\":[\"gateway-proxy\"]}"u8);

    /// <summary>A dispatch <c>{"t":"X","s":N,"op":0,"d":data}</c>; <paramref name="dataJson"/> is copied as-is (empty writes null).</summary>
    /// <exception cref="ArgumentException">The event name is empty or needs JSON escaping (names are [A-Za-z0-9_]).</exception>
    public static void WriteDispatch(IBufferWriter<byte> o, ReadOnlySpan<byte> eventName, long seq, ReadOnlySpan<byte> dataJson)
    {
        if (eventName.IsEmpty || eventName.ContainsAnyExcept(NameBytes))
        {
            throw new ArgumentException("An event name is [A-Za-z0-9_]+.", nameof(eventName));
        }

        Write(o, "{\"t\":\""u8);
        Write(o, eventName);
        Write(o, "\",\"s\":"u8);
        WriteInteger(o, seq);
        Write(o, ",\"op\":0,\"d\":"u8);
        Write(o, dataJson.IsEmpty ? "null"u8 : dataJson);
        Write(o, "}"u8);
    }

    /// <summary>Client op 1 HEARTBEAT: <c>{"op":1,"d":N}</c>, or <c>d:null</c> before any sequence.</summary>
    public static void WriteHeartbeat(IBufferWriter<byte> o, long? seq)
    {
        Write(o, "{\"op\":1,\"d\":"u8);
        if (seq is long value)
        {
            WriteInteger(o, value);
        }
        else
        {
            Write(o, "null"u8);
        }

        Write(o, "}"u8);
    }

    /// <summary>Client op 6 RESUME: <c>{"op":6,"d":{"token":…,"session_id":…,"seq":N}}</c> (strings escaped as JSON needs).</summary>
    public static void WriteResume(IBufferWriter<byte> o, string token, string sessionId, long seq)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(sessionId);
        // Cold path (once per reconnect): let Utf8JsonWriter do the escaping.
        using var writer = new Utf8JsonWriter(o);
        writer.WriteStartObject();
        writer.WriteNumber("op"u8, 6);
        writer.WriteStartObject("d"u8);
        writer.WriteString("token"u8, token);
        writer.WriteString("session_id"u8, sessionId);
        writer.WriteNumber("seq"u8, seq);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static readonly SearchValues<byte> NameBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"u8);

    private static void Write(IBufferWriter<byte> o, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Write(bytes);
    }

    private static void WriteInteger(IBufferWriter<byte> o, long value)
    {
        Span<byte> span = o.GetSpan(20);
        _ = Utf8Formatter.TryFormat(value, span, out int written);
        o.Advance(written);
    }
}
