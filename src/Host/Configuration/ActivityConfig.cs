using System.Globalization;
using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>The presence activity every shard identifies with (reference field <c>activity</c>).</summary>
public sealed record ActivityConfig
{
    /// <summary>The placeholder in <see cref="Name"/> replaced with the shard id.</summary>
    public const string ShardPlaceholder = "{{shard}}";

    /// <summary>Discord activity type: 0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing.</summary>
    [JsonPropertyName("type")]
    public int Type { get; init; }

    /// <summary>The activity text; may contain <c>{{shard}}</c>.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Stream URL, only meaningful for type 1 (streaming).</summary>
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    /// <summary>The name as shard <paramref name="shardId"/> sends it: every <c>{{shard}}</c> replaced with the id.</summary>
    public string FormatName(int shardId) =>
        Name.Replace(ShardPlaceholder, shardId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
