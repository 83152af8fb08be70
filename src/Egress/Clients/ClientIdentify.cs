using GatewayProxy.Protocol.Gateway;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GatewayProxy.Egress.Clients;

/// <summary>What a client's IDENTIFY asked for, parsed leniently the way real libraries send it.</summary>
/// <remarks>Accepted quirks (docs/architecture.md, "Gateway facts"): a <c>Bot </c> token prefix; <c>shard</c> missing (= [0, 1]); <c>compress</c> as a
/// bool or a string; <c>large_threshold</c> missing (50) or out of range (clamped); extra keys, any <c>properties</c>.</remarks>
internal sealed record ClientIdentify(string Token, int ShardId, int ShardCount, long Intents, int LargeThreshold, bool PayloadCompression,
    bool IntentsGiven = true)
{
    /// <summary>Parses IDENTIFY's <c>d</c>; false with the close code and reason to send.</summary>
    public static bool TryParse(JsonElement d, out ClientIdentify? request, out GatewayCloseCode closeCode, out string? reason)
    {
        request = null;
        closeCode = GatewayCloseCode.DecodeError;
        if (d.ValueKind != JsonValueKind.Object)
        {
            reason = "decode error: IDENTIFY d must be an object";
            return false;
        }

        if (!d.TryGetProperty("token", out JsonElement token) || token.ValueKind != JsonValueKind.String)
        {
            closeCode = GatewayCloseCode.AuthenticationFailed;
            reason = "authentication failed: IDENTIFY needs a token string";
            return false;
        }

        int shardId = 0, shardCount = 1;
        if (d.TryGetProperty("shard", out JsonElement shard) && shard.ValueKind != JsonValueKind.Null)
        {
            if (shard.ValueKind != JsonValueKind.Array || shard.GetArrayLength() != 2
                || !shard[0].TryGetInt32(out shardId) || !shard[1].TryGetInt32(out shardCount))
            {
                closeCode = GatewayCloseCode.InvalidShard;
                reason = "invalid shard: IDENTIFY shard must be [shard_id, num_shards]";
                return false;
            }
        }

        long intents = 0;
        bool intentsGiven = d.TryGetProperty("intents", out JsonElement intentsValue) && intentsValue.ValueKind != JsonValueKind.Null;
        if (intentsGiven)
        {
            if (intentsValue.ValueKind != JsonValueKind.Number || !intentsValue.TryGetInt64(out intents) || intents < 0)
            {
                closeCode = GatewayCloseCode.InvalidIntents;
                reason = "invalid intents: intents must be a non-negative integer";
                return false;
            }
        }

        int largeThreshold = 50;
        if (d.TryGetProperty("large_threshold", out JsonElement large) && large.ValueKind == JsonValueKind.Number && large.TryGetDouble(out double value))
        {
            largeThreshold = (int)Math.Clamp(value, 50, 250);
        }

        // Only JSON true means payload compression; a string such as "zlib-stream" (oceanic.js) refers to the transport
        // compression already chosen in the URL.
        bool compress = d.TryGetProperty("compress", out JsonElement compressValue) && compressValue.ValueKind == JsonValueKind.True;

        request = new ClientIdentify(token.GetString()!, shardId, shardCount, intents, largeThreshold, compress, intentsGiven);
        reason = null;
        closeCode = GatewayCloseCode.None;
        return true;
    }

    /// <summary>Constant-time token check; a <c>Bot </c> prefix on either side is ignored.</summary>
    /// <remarks>Compares SHA-256 digests, not the strings: FixedTimeEquals returns at once on a length mismatch, which
    /// would tell a prober the token's length; digests are always 32 bytes.</remarks>
    public static bool TokenMatches(string given, string expected)
    {
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(StripBot(given)), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(StripBot(expected)), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string StripBot(string token)
    {
        string trimmed = token.Trim();
        return trimmed.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? trimmed[4..].Trim() : trimmed;
    }
}
