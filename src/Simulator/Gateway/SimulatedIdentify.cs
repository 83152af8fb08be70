using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>A validated IDENTIFY: what the session is opened with.</summary>
internal sealed record SimulatedIdentify(int ShardId, int ShardCount, long Intents, int LargeThreshold, bool PayloadCompression)
{
    /// <summary>
    /// Validates IDENTIFY's <c>d</c> as Discord does: token (with or without <c>Bot </c>) → 4004, shard → 4010/4011,
    /// intents → 4013/4014. <c>shard</c> may be missing ([0,1]); <c>compress</c> may be any type (only <c>true</c> turns payload compression on).
    /// </summary>
    public static bool TryParse(JsonElement d, SimulatorOptions options, out SimulatedIdentify? request, out GatewayCloseCode error)
    {
        request = null;
        if (d.ValueKind != JsonValueKind.Object)
        {
            error = GatewayCloseCode.DecodeError;
            return false;
        }

        if (!d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String || !TokenMatches(token.GetString(), options.Token))
        {
            error = GatewayCloseCode.AuthenticationFailed;
            return false;
        }

        int shardId = 0, shardCount = 1;
        if (d.TryGetProperty("shard", out var shard) && shard.ValueKind != JsonValueKind.Null)
        {
            if (shard.ValueKind != JsonValueKind.Array || shard.GetArrayLength() != 2
                || !shard[0].TryInt32(out shardId) || !shard[1].TryInt32(out shardCount))
            {
                error = GatewayCloseCode.InvalidShard;
                return false;
            }
        }

        if (shardCount < 1 || shardId < 0 || shardId >= shardCount || shardCount > options.ShardCount)
        {
            // Out of range, or more shards than this bot has: the simulator only hosts its configured count.
            error = GatewayCloseCode.InvalidShard;
            return false;
        }

        if (shardCount < options.ShardCount)
        {
            // Too few shards for the bot's guilds.
            error = GatewayCloseCode.ShardingRequired;
            return false;
        }

        if (!d.TryGetProperty("intents", out var intentsElement) || !intentsElement.TryInt64(out var intents) || intents < 0 || (intents & ~GatewayIntents.All) != 0)
        {
            error = GatewayCloseCode.InvalidIntents;
            return false;
        }

        if ((intents & ~options.AllowedIntents) != 0)
        {
            error = GatewayCloseCode.DisallowedIntents;
            return false;
        }

        var largeThreshold = 50;
        if (d.TryGetProperty("large_threshold", out var large) && large.TryInt32(out var value))
        {
            largeThreshold = Math.Clamp(value, 50, 250);
        }

        var compress = d.TryGetProperty("compress", out var c) && c.ValueKind == JsonValueKind.True;
        request = new SimulatedIdentify(shardId, shardCount, intents, largeThreshold, compress);
        error = 0;
        return true;
    }

    /// <summary>True when <paramref name="presented"/> is the token, with or without a <c>Bot </c> prefix.</summary>
    public static bool TokenMatches(string? presented, string token)
    {
        if (presented is null)
        {
            return false;
        }

        if (presented.StartsWith("Bot ", StringComparison.Ordinal))
        {
            presented = presented[4..];
        }

        var expected = token.StartsWith("Bot ", StringComparison.Ordinal) ? token[4..] : token;
        return string.Equals(presented, expected, StringComparison.Ordinal);
    }
}
