using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>Writes the READY dispatch a proxy crafts for a client (always <c>s = 1</c>), in Discord's wire order.</summary>
/// <remarks>
/// Carries every key real libraries read: Eris needs the <c>guilds</c> and <c>private_channels</c> arrays, oceanic.js needs
/// <c>application {id, flags}</c>, discord.js reads <c>resume_gateway_url</c> and <c>session_id</c>.
/// </remarks>
public static class ReadyWriter
{
    /// <summary>The client sequence of READY.</summary>
    public const long ReadySequence = 1;

    /// <summary>Writes <c>{"t":"READY","s":1,"op":0,"d":{...}}</c>. Empty JSON inputs are written as <c>{}</c>.</summary>
    /// <param name="output">Destination.</param>
    /// <param name="userJson">The bot's user object (compact JSON).</param>
    /// <param name="guildIds">Every guild of the shard; each is listed as <c>{"id":"…","unavailable":true}</c>.</param>
    /// <param name="sessionId">The proxy's session id for this client.</param>
    /// <param name="resumeGatewayUrl">The URL clients resume at (no query: some libraries append one directly).</param>
    /// <param name="shardId">The client's shard id.</param>
    /// <param name="shardCount">The bot's shard count.</param>
    /// <param name="applicationJson">The application object ({id, flags}, compact JSON).</param>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> userJson, ReadOnlySpan<ulong> guildIds, string sessionId,
        string resumeGatewayUrl, int shardId, int shardCount, ReadOnlySpan<byte> applicationJson)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(resumeGatewayUrl);
        output.Write("{\"t\":\"READY\",\"s\":1,\"op\":0,\"d\":{\"v\":10,\"user\":"u8);
        output.Write(userJson.IsEmpty ? "{}"u8 : userJson);
        output.Write(",\"guilds\":["u8);
        for (int i = 0; i < guildIds.Length; i++)
        {
            output.Write(i == 0 ? "{\"id\":\""u8 : ",{\"id\":\""u8);
            WriteNumber(output, guildIds[i]);
            output.Write("\",\"unavailable\":true}"u8);
        }

        output.Write("],\"session_id\":"u8);
        WriteString(output, sessionId);
        output.Write(",\"resume_gateway_url\":"u8);
        WriteString(output, resumeGatewayUrl);
        output.Write(",\"shard\":["u8);
        WriteNumber(output, (ulong)shardId);
        output.Write(","u8);
        WriteNumber(output, (ulong)shardCount);
        output.Write("],\"application\":"u8);
        output.Write(applicationJson.IsEmpty ? "{}"u8 : applicationJson);
        output.Write(",\"private_channels\":[],\"relationships\":[],\"presences\":[],\"guild_join_requests\":[],"u8);
        output.Write("\"geo_ordered_rtc_regions\":[],\"user_settings\":{},\"auth\":{},\"session_type\":\"normal\",\"_trace\":[\"gateway-proxy\"]}}"u8);
    }

    /// <summary>Writes a dispatch envelope's head, <c>{"t":"NAME","s":N,"op":0,"d":</c>, for a body that follows (close it with <c>}</c>).</summary>
    public static void WriteDispatchHead(IBufferWriter<byte> output, ReadOnlySpan<byte> eventName, long seq)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"t\":\""u8);
        output.Write(eventName);
        output.Write("\",\"s\":"u8);
        WriteNumber(output, (ulong)Math.Max(0, seq));
        output.Write(",\"op\":0,\"d\":"u8);
    }

    /// <summary>Writes <c>{"t":"GUILD_DELETE","s":N,"op":0,"d":{"id":"…","unavailable":true}}</c>: the answer for an unavailable guild.</summary>
    public static void WriteUnavailableGuild(IBufferWriter<byte> output, ulong guildId, long seq)
    {
        WriteDispatchHead(output, "GUILD_DELETE"u8, seq);
        output.Write("{\"id\":\""u8);
        WriteNumber(output, guildId);
        output.Write("\",\"unavailable\":true}}"u8);
    }

    private static void WriteNumber(IBufferWriter<byte> output, ulong value)
    {
        Span<byte> span = output.GetSpan(20);
        _ = Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        // Cold path (once per client): JsonEncodedText does the escaping a URL or id could need.
        output.Write("\""u8);
        output.Write(JsonEncodedText.Encode(value).EncodedUtf8Bytes);
        output.Write("\""u8);
    }
}
