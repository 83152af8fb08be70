namespace GatewayProxy.Protocol.Gateway;

/// <summary>Interned dispatch event names (<c>t</c>), Discord API v10.</summary>
/// <remarks>Values are stored in ring metadata and state files: append new names at the end, never reorder.
/// Each member's wire name is its name in SCREAMING_SNAKE_CASE (see <see cref="EventKinds"/>).</remarks>
public enum EventKind : ushort
{
    /// <summary><c>t</c> is null or absent (not a dispatch).</summary>
    None = 0,
    /// <summary>A name this build does not know; relayed like any other event.</summary>
    Unknown = 1,
    /// <summary><c>READY</c>.</summary>
    Ready = 2,
    /// <summary><c>RESUMED</c>.</summary>
    Resumed,
    /// <summary><c>GUILD_CREATE</c>.</summary>
    GuildCreate,
    /// <summary><c>GUILD_UPDATE</c>.</summary>
    GuildUpdate,
    /// <summary><c>GUILD_DELETE</c>.</summary>
    GuildDelete,
    /// <summary><c>APPLICATION_COMMAND_PERMISSIONS_UPDATE</c>.</summary>
    ApplicationCommandPermissionsUpdate,
    /// <summary><c>AUTO_MODERATION_RULE_CREATE</c>.</summary>
    AutoModerationRuleCreate,
    /// <summary><c>AUTO_MODERATION_RULE_UPDATE</c>.</summary>
    AutoModerationRuleUpdate,
    /// <summary><c>AUTO_MODERATION_RULE_DELETE</c>.</summary>
    AutoModerationRuleDelete,
    /// <summary><c>AUTO_MODERATION_ACTION_EXECUTION</c>.</summary>
    AutoModerationActionExecution,
    /// <summary><c>CHANNEL_CREATE</c>.</summary>
    ChannelCreate,
    /// <summary><c>CHANNEL_UPDATE</c>.</summary>
    ChannelUpdate,
    /// <summary><c>CHANNEL_DELETE</c>.</summary>
    ChannelDelete,
    /// <summary><c>CHANNEL_PINS_UPDATE</c>.</summary>
    ChannelPinsUpdate,
    /// <summary><c>THREAD_CREATE</c>.</summary>
    ThreadCreate,
    /// <summary><c>THREAD_UPDATE</c>.</summary>
    ThreadUpdate,
    /// <summary><c>THREAD_DELETE</c>.</summary>
    ThreadDelete,
    /// <summary><c>THREAD_LIST_SYNC</c>.</summary>
    ThreadListSync,
    /// <summary><c>THREAD_MEMBER_UPDATE</c>.</summary>
    ThreadMemberUpdate,
    /// <summary><c>THREAD_MEMBERS_UPDATE</c>.</summary>
    ThreadMembersUpdate,
    /// <summary><c>ENTITLEMENT_CREATE</c>.</summary>
    EntitlementCreate,
    /// <summary><c>ENTITLEMENT_UPDATE</c>.</summary>
    EntitlementUpdate,
    /// <summary><c>ENTITLEMENT_DELETE</c>.</summary>
    EntitlementDelete,
    /// <summary><c>GUILD_AUDIT_LOG_ENTRY_CREATE</c>.</summary>
    GuildAuditLogEntryCreate,
    /// <summary><c>GUILD_BAN_ADD</c>.</summary>
    GuildBanAdd,
    /// <summary><c>GUILD_BAN_REMOVE</c>.</summary>
    GuildBanRemove,
    /// <summary><c>GUILD_EMOJIS_UPDATE</c>.</summary>
    GuildEmojisUpdate,
    /// <summary><c>GUILD_STICKERS_UPDATE</c>.</summary>
    GuildStickersUpdate,
    /// <summary><c>GUILD_INTEGRATIONS_UPDATE</c>.</summary>
    GuildIntegrationsUpdate,
    /// <summary><c>GUILD_MEMBER_ADD</c>.</summary>
    GuildMemberAdd,
    /// <summary><c>GUILD_MEMBER_REMOVE</c>.</summary>
    GuildMemberRemove,
    /// <summary><c>GUILD_MEMBER_UPDATE</c>.</summary>
    GuildMemberUpdate,
    /// <summary><c>GUILD_MEMBERS_CHUNK</c>.</summary>
    GuildMembersChunk,
    /// <summary><c>GUILD_ROLE_CREATE</c>.</summary>
    GuildRoleCreate,
    /// <summary><c>GUILD_ROLE_UPDATE</c>.</summary>
    GuildRoleUpdate,
    /// <summary><c>GUILD_ROLE_DELETE</c>.</summary>
    GuildRoleDelete,
    /// <summary><c>GUILD_SCHEDULED_EVENT_CREATE</c>.</summary>
    GuildScheduledEventCreate,
    /// <summary><c>GUILD_SCHEDULED_EVENT_UPDATE</c>.</summary>
    GuildScheduledEventUpdate,
    /// <summary><c>GUILD_SCHEDULED_EVENT_DELETE</c>.</summary>
    GuildScheduledEventDelete,
    /// <summary><c>GUILD_SCHEDULED_EVENT_USER_ADD</c>.</summary>
    GuildScheduledEventUserAdd,
    /// <summary><c>GUILD_SCHEDULED_EVENT_USER_REMOVE</c>.</summary>
    GuildScheduledEventUserRemove,
    /// <summary><c>GUILD_SOUNDBOARD_SOUND_CREATE</c>.</summary>
    GuildSoundboardSoundCreate,
    /// <summary><c>GUILD_SOUNDBOARD_SOUND_UPDATE</c>.</summary>
    GuildSoundboardSoundUpdate,
    /// <summary><c>GUILD_SOUNDBOARD_SOUND_DELETE</c>.</summary>
    GuildSoundboardSoundDelete,
    /// <summary><c>GUILD_SOUNDBOARD_SOUNDS_UPDATE</c>.</summary>
    GuildSoundboardSoundsUpdate,
    /// <summary><c>SOUNDBOARD_SOUNDS</c>.</summary>
    SoundboardSounds,
    /// <summary><c>INTEGRATION_CREATE</c>.</summary>
    IntegrationCreate,
    /// <summary><c>INTEGRATION_UPDATE</c>.</summary>
    IntegrationUpdate,
    /// <summary><c>INTEGRATION_DELETE</c>.</summary>
    IntegrationDelete,
    /// <summary><c>INTERACTION_CREATE</c>.</summary>
    InteractionCreate,
    /// <summary><c>INVITE_CREATE</c>.</summary>
    InviteCreate,
    /// <summary><c>INVITE_DELETE</c>.</summary>
    InviteDelete,
    /// <summary><c>MESSAGE_CREATE</c>.</summary>
    MessageCreate,
    /// <summary><c>MESSAGE_UPDATE</c>.</summary>
    MessageUpdate,
    /// <summary><c>MESSAGE_DELETE</c>.</summary>
    MessageDelete,
    /// <summary><c>MESSAGE_DELETE_BULK</c>.</summary>
    MessageDeleteBulk,
    /// <summary><c>MESSAGE_REACTION_ADD</c>.</summary>
    MessageReactionAdd,
    /// <summary><c>MESSAGE_REACTION_REMOVE</c>.</summary>
    MessageReactionRemove,
    /// <summary><c>MESSAGE_REACTION_REMOVE_ALL</c>.</summary>
    MessageReactionRemoveAll,
    /// <summary><c>MESSAGE_REACTION_REMOVE_EMOJI</c>.</summary>
    MessageReactionRemoveEmoji,
    /// <summary><c>MESSAGE_POLL_VOTE_ADD</c>.</summary>
    MessagePollVoteAdd,
    /// <summary><c>MESSAGE_POLL_VOTE_REMOVE</c>.</summary>
    MessagePollVoteRemove,
    /// <summary><c>PRESENCE_UPDATE</c>.</summary>
    PresenceUpdate,
    /// <summary><c>STAGE_INSTANCE_CREATE</c>.</summary>
    StageInstanceCreate,
    /// <summary><c>STAGE_INSTANCE_UPDATE</c>.</summary>
    StageInstanceUpdate,
    /// <summary><c>STAGE_INSTANCE_DELETE</c>.</summary>
    StageInstanceDelete,
    /// <summary><c>SUBSCRIPTION_CREATE</c>.</summary>
    SubscriptionCreate,
    /// <summary><c>SUBSCRIPTION_UPDATE</c>.</summary>
    SubscriptionUpdate,
    /// <summary><c>SUBSCRIPTION_DELETE</c>.</summary>
    SubscriptionDelete,
    /// <summary><c>TYPING_START</c>.</summary>
    TypingStart,
    /// <summary><c>USER_UPDATE</c>.</summary>
    UserUpdate,
    /// <summary><c>VOICE_CHANNEL_EFFECT_SEND</c>.</summary>
    VoiceChannelEffectSend,
    /// <summary><c>VOICE_STATE_UPDATE</c>.</summary>
    VoiceStateUpdate,
    /// <summary><c>VOICE_SERVER_UPDATE</c>.</summary>
    VoiceServerUpdate,
    /// <summary><c>WEBHOOKS_UPDATE</c>.</summary>
    WebhooksUpdate,
    /// <summary><c>RATE_LIMITED</c>.</summary>
    RateLimited,
    /// <summary><c>VOICE_CHANNEL_STATUS_UPDATE</c> (seen on the wire, not in the public docs).</summary>
    VoiceChannelStatusUpdate,
    /// <summary><c>VOICE_CHANNEL_START_TIME_UPDATE</c> (seen on the wire, not in the public docs).</summary>
    VoiceChannelStartTimeUpdate,
    /// <summary><c>GUILD_JOIN_REQUEST_CREATE</c> (seen on the wire, not in the public docs).</summary>
    GuildJoinRequestCreate,
    /// <summary><c>GUILD_JOIN_REQUEST_UPDATE</c> (seen on the wire, not in the public docs).</summary>
    GuildJoinRequestUpdate,
    /// <summary><c>GUILD_JOIN_REQUEST_DELETE</c> (seen on the wire, not in the public docs).</summary>
    GuildJoinRequestDelete,
    /// <summary><c>APPLICATION_COMMAND_CREATE</c> (seen on the wire, not in the public docs).</summary>
    ApplicationCommandCreate,
    /// <summary><c>APPLICATION_COMMAND_UPDATE</c> (seen on the wire, not in the public docs).</summary>
    ApplicationCommandUpdate,
    /// <summary><c>APPLICATION_COMMAND_DELETE</c> (seen on the wire, not in the public docs).</summary>
    ApplicationCommandDelete,
    /// <summary><c>GUILD_APPLICATION_COMMAND_INDEX_UPDATE</c> (seen on the wire, not in the public docs).</summary>
    GuildApplicationCommandIndexUpdate,
    /// <summary><c>PRESENCES_REPLACE</c> (seen on the wire, not in the public docs).</summary>
    PresencesReplace,
    /// <summary><c>GIFT_CODE_UPDATE</c> (seen on the wire, not in the public docs).</summary>
    GiftCodeUpdate,
}
