using System.Globalization;
using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>The presence activity every shard identifies with (reference field <c>activity</c>).</summary>
/// <param name="Type">Discord activity type: 0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing.</param>
/// <param name="Name">The activity text; may contain <c>{{shard}}</c>.</param>
/// <param name="Url">Stream URL, only meaningful for type 1 (streaming).</param>
public sealed record ActivityConfig(
    [property: JsonPropertyName("type")] int Type = 0,
    [property: JsonPropertyName("name")] string Name = "",
    [property: JsonPropertyName("url")] string? Url = null)
{
    /// <summary>The placeholder in <see cref="Name"/> replaced with the shard id.</summary>
    public const string ShardPlaceholder = "{{shard}}";

    /// <summary>The name as shard <paramref name="shardId"/> sends it: every <c>{{shard}}</c> replaced with the id.</summary>
    public string FormatName(int shardId) =>
        Name.Replace(ShardPlaceholder, shardId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
