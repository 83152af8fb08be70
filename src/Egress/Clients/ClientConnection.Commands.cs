using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Egress.Clients;

/// <summary>Commands forwarded upstream: op 3 as sent, op 4 as sent with its guild noted for routing VOICE_SERVER_UPDATE,
/// op 8 with a proxy-unique nonce, op 31 with its guilds noted for routing the SOUNDBOARD_SOUNDS replies.</summary>
/// <remarks>
/// The shard's send limiter is shared by every client of the shard (and the shard's own heartbeats). When it is full the
/// command is dropped, logged and counted (gateway_client_commands_dropped_total): closing the client with <see cref="GatewayCloseCode.RateLimited"/> would
/// punish it for other clients' traffic (its own 120/60 s limit is enforced separately), and holding commands back would
/// need an unbounded queue. Libraries time out a member request that gets no reply (discord.js after 120 s) and retry.
/// </remarks>
internal sealed partial class ClientConnection
{
    private void Forward(int op, JsonElement d, ReadOnlySpan<byte> json)
    {
        ClientSession? session = Session;
        if (session is null) return; // a RESUME is still taking the session over: nothing to send for yet

        if (op == (int)GatewayOpcode.RequestGuildMembers)
        {
            if (d.ValueKind != JsonValueKind.Object)
            {
                Close(GatewayCloseCode.DecodeError, "decode error: op 8 d must be an object", ClientDisconnectReason.DecodeError, keepSession: true);
                return;
            }

            byte[] rewritten = RewriteMemberRequest(session, d);
            Send(session, op, rewritten);
            return;
        }

        if (op == (int)GatewayOpcode.VoiceStateUpdate && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("guild_id", out JsonElement voiceGuild) && voiceGuild.ValueKind == JsonValueKind.String
            && ulong.TryParse(voiceGuild.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong voiceGuildId))
        {
            session.Cursor.Voice.Request(voiceGuildId, session, session.Feed.Ring.Cursor);
        }

        if (op == (int)GatewayOpcode.RequestSoundboardSounds && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("guild_ids", out JsonElement ids) && ids.ValueKind == JsonValueKind.Array)
        {
            long cursor = session.Feed.Ring.Cursor;
            foreach (JsonElement id in ids.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.String && ulong.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong guildId))
                {
                    _context.RouterFor(session.Feed.ShardId).Request(guildId, session.Number, cursor);
                }
            }
        }

        Send(session, op, json);
    }

    private void Send(ClientSession session, int op, ReadOnlySpan<byte> payload)
    {
        if (session.Feed.TrySendCommand(payload, out string? reason)) return;
        _context.Metrics.CommandDropped(op);
        LogCommandDropped(op, reason);
    }

    /// <summary>op 8 with the client's nonce replaced by "gp{session}.{n}" (kept in the session to restore on replies).</summary>
    private static byte[] RewriteMemberRequest(ClientSession session, JsonElement d)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        byte[]? original = null;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("op"u8, (int)GatewayOpcode.RequestGuildMembers);
            writer.WritePropertyName("d"u8);
            writer.WriteStartObject();
            foreach (JsonProperty property in d.EnumerateObject())
            {
                if (property.NameEquals("nonce"u8))
                {
                    original = Encoding.UTF8.GetBytes(property.Value.GetRawText());
                    continue;
                }

                property.WriteTo(writer);
            }

            long n = session.Nonces.Add(original);
            writer.WriteString("nonce"u8, session.NonceText + n.ToString("x", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
