using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>The presence status every shard identifies with (reference field <c>status</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PresenceStatus>))]
public enum PresenceStatus
{
    /// <summary>"online".</summary>
    [JsonStringEnumMemberName("online")]
    Online,
    /// <summary>"idle".</summary>
    [JsonStringEnumMemberName("idle")]
    Idle,
    /// <summary>"dnd" (do not disturb).</summary>
    [JsonStringEnumMemberName("dnd")]
    Dnd,
    /// <summary>"invisible".</summary>
    [JsonStringEnumMemberName("invisible")]
    Invisible,
    /// <summary>"offline".</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,
}
