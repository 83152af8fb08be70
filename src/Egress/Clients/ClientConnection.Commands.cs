using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Egress.Clients;

/// <summary>Commands forwarded upstream: op 3 as sent, op 4 as sent with its guild noted for routing VOICE_SERVER_UPDATE,
/// op 8 with a proxy-unique nonce, op 31 with its guilds noted for routing the SOUNDBOARD_SOUNDS replies. A virtual-shard
/// client's op 4 and op 8 go to the upstream shard holding the guild, op 3 to every shard it spans, op 31 split per shard.</summary>
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
            Send(LaneFor(session, d), op, rewritten);
            return;
        }

        if (op == (int)GatewayOpcode.VoiceStateUpdate)
        {
            RelayCursor lane = LaneFor(session, d);
            if (TryGetGuild(d, "guild_id"u8, out ulong voiceGuildId)) lane.Voice.Request(voiceGuildId, session, lane.Ring.Cursor);
            Send(lane, op, json);
            return;
        }

        if (op == (int)GatewayOpcode.RequestSoundboardSounds && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("guild_ids", out JsonElement ids) && ids.ValueKind == JsonValueKind.Array)
        {
            if (session.IsVirtual)
            {
                ForwardSoundboardRequest(session, ids);
                return;
            }

            long cursor = session.Feed.Ring.Cursor;
            foreach (JsonElement id in ids.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.String && ulong.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong guildId))
                {
                    _context.RouterFor(session.Feed.ShardId).Request(guildId, session.Number, cursor);
                }
            }
        }

        if (op == (int)GatewayOpcode.PresenceUpdate && session.IsVirtual)
        {
            // The bot's presence is per upstream session: every shard the client spans shows it, each through its own limiter.
            foreach (RelayCursor lane in session.Lanes) Send(lane, op, json);
            return;
        }

        Send(session.Cursor, op, json);
    }

    /// <summary>The lane of the upstream shard holding <c>d.guild_id</c>: the session's only lane unless it is virtual.</summary>
    private RelayCursor LaneFor(ClientSession session, JsonElement d)
    {
        if (!session.IsVirtual || !TryGetGuild(d, "guild_id"u8, out ulong guildId)) return session.Cursor;
        int shard = VirtualShard.ShardOf(guildId, _context.Shards.TotalShards);
        foreach (RelayCursor lane in session.Lanes)
        {
            if (lane.ShardId == shard) return lane;
        }

        // A guild outside the client's virtual shard: the shard holding it answers (or ignores it, as Discord would).
        return session.Cursor;
    }

    /// <summary>op 31 of a virtual-shard client: one request per upstream shard, each naming that shard's guilds.</summary>
    private void ForwardSoundboardRequest(ClientSession session, JsonElement ids)
    {
        foreach (RelayCursor lane in session.Lanes)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            int count = 0;
            long cursor = lane.Ring.Cursor;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("op"u8, (int)GatewayOpcode.RequestSoundboardSounds);
                writer.WriteStartObject("d"u8);
                writer.WriteStartArray("guild_ids"u8);
                foreach (JsonElement id in ids.EnumerateArray())
                {
                    if (id.ValueKind != JsonValueKind.String
                        || !ulong.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong guildId)
                        || VirtualShard.ShardOf(guildId, _context.Shards.TotalShards) != lane.ShardId)
                    {
                        continue;
                    }

                    writer.WriteStringValue(id.GetString());
                    lane.Router.Request(guildId, session.Number, cursor);
                    count++;
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (count > 0) Send(lane, (int)GatewayOpcode.RequestSoundboardSounds, buffer.WrittenSpan);
        }
    }

    private static bool TryGetGuild(JsonElement d, ReadOnlySpan<byte> name, out ulong guildId)
    {
        guildId = 0;
        return d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out guildId);
    }

    private void Send(RelayCursor lane, int op, ReadOnlySpan<byte> payload)
    {
        if (lane.Feed.TrySendCommand(payload, out string? reason)) return;
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
