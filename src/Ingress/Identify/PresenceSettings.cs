namespace GatewayProxy.Ingress.Identify;

/// <summary>The presence sent in IDENTIFY: status and an optional activity whose name may contain <c>{{shard}}</c>.</summary>
/// <param name="Status">online, idle, dnd, invisible or offline.</param>
/// <param name="ActivityType">Discord activity type (0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing).</param>
/// <param name="ActivityName">The activity name; null or empty sends no activity.</param>
public sealed record PresenceSettings(string Status, int ActivityType, string? ActivityName)
{
    /// <summary>The placeholder replaced by the shard id in <see cref="ActivityName"/>.</summary>
    public const string ShardPlaceholder = "{{shard}}";

    /// <summary>The activity name for one shard (placeholder replaced), or null when there is no activity.</summary>
    public string? ActivityNameFor(int shardId) =>
        string.IsNullOrEmpty(ActivityName) ? null : ActivityName.Replace(ShardPlaceholder, shardId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
