namespace GatewayProxy.Protocol.Gateway;

/// <summary>Gateway intent bits (API v10) and the dispatches each one gates, from Discord's "List of Intents".</summary>
/// <remarks>
/// Events that no intent gates (READY, INTERACTION_CREATE, USER_UPDATE, VOICE_SERVER_UPDATE, ENTITLEMENT_*, replies such as
/// GUILD_MEMBERS_CHUNK, names this build does not know, …) are always allowed. MESSAGE_CONTENT gates fields, not events:
/// the proxy relays payloads byte for byte and does not strip content.
/// </remarks>
public static class GatewayIntents
{
    /// <summary>GUILDS.</summary>
    public const long Guilds = 1L << 0;
    /// <summary>GUILD_MEMBERS (privileged).</summary>
    public const long GuildMembers = 1L << 1;
    /// <summary>GUILD_MODERATION.</summary>
    public const long GuildModeration = 1L << 2;
    /// <summary>GUILD_EXPRESSIONS.</summary>
    public const long GuildExpressions = 1L << 3;
    /// <summary>GUILD_INTEGRATIONS.</summary>
    public const long GuildIntegrations = 1L << 4;
    /// <summary>GUILD_WEBHOOKS.</summary>
    public const long GuildWebhooks = 1L << 5;
    /// <summary>GUILD_INVITES.</summary>
    public const long GuildInvites = 1L << 6;
    /// <summary>GUILD_VOICE_STATES.</summary>
    public const long GuildVoiceStates = 1L << 7;
    /// <summary>GUILD_PRESENCES (privileged).</summary>
    public const long GuildPresences = 1L << 8;
    /// <summary>GUILD_MESSAGES.</summary>
    public const long GuildMessages = 1L << 9;
    /// <summary>GUILD_MESSAGE_REACTIONS.</summary>
    public const long GuildMessageReactions = 1L << 10;
    /// <summary>GUILD_MESSAGE_TYPING.</summary>
    public const long GuildMessageTyping = 1L << 11;
    /// <summary>DIRECT_MESSAGES.</summary>
    public const long DirectMessages = 1L << 12;
    /// <summary>DIRECT_MESSAGE_REACTIONS.</summary>
    public const long DirectMessageReactions = 1L << 13;
    /// <summary>DIRECT_MESSAGE_TYPING.</summary>
    public const long DirectMessageTyping = 1L << 14;
    /// <summary>MESSAGE_CONTENT (privileged; gates fields, not events).</summary>
    public const long MessageContent = 1L << 15;
    /// <summary>GUILD_SCHEDULED_EVENTS.</summary>
    public const long GuildScheduledEvents = 1L << 16;
    /// <summary>AUTO_MODERATION_CONFIGURATION.</summary>
    public const long AutoModerationConfiguration = 1L << 20;
    /// <summary>AUTO_MODERATION_EXECUTION.</summary>
    public const long AutoModerationExecution = 1L << 21;
    /// <summary>GUILD_MESSAGE_POLLS.</summary>
    public const long GuildMessagePolls = 1L << 24;
    /// <summary>DIRECT_MESSAGE_POLLS.</summary>
    public const long DirectMessagePolls = 1L << 25;

    /// <summary>Every intent bit Discord defines (0–16, 20, 21, 24, 25); any other bit is invalid (close 4013).</summary>
    public const long All = 0x1FFFFL | AutoModerationConfiguration | AutoModerationExecution | GuildMessagePolls | DirectMessagePolls;

    /// <summary>The guild-side intents: what an event known to be in a guild needs (its DM-side alternative does not apply).</summary>
    private const long GuildSide = Guilds | GuildMembers | GuildModeration | GuildExpressions | GuildIntegrations | GuildWebhooks
        | GuildInvites | GuildVoiceStates | GuildPresences | GuildMessages | GuildMessageReactions | GuildMessageTyping
        | GuildScheduledEvents | AutoModerationConfiguration | AutoModerationExecution | GuildMessagePolls;

    /// <summary>Each gated kind and the intents any one of which lets it through (guild or DM side).</summary>
    private static readonly (EventKind Kind, long AnyOf)[] Gates =
    [
        (EventKind.GuildCreate, Guilds), (EventKind.GuildUpdate, Guilds), (EventKind.GuildDelete, Guilds),
        (EventKind.GuildRoleCreate, Guilds), (EventKind.GuildRoleUpdate, Guilds), (EventKind.GuildRoleDelete, Guilds),
        (EventKind.ChannelCreate, Guilds), (EventKind.ChannelUpdate, Guilds), (EventKind.ChannelDelete, Guilds),
        (EventKind.ChannelPinsUpdate, Guilds | DirectMessages),
        (EventKind.ThreadCreate, Guilds), (EventKind.ThreadUpdate, Guilds), (EventKind.ThreadDelete, Guilds),
        (EventKind.ThreadListSync, Guilds), (EventKind.ThreadMemberUpdate, Guilds), (EventKind.ThreadMembersUpdate, Guilds | GuildMembers),
        (EventKind.StageInstanceCreate, Guilds), (EventKind.StageInstanceUpdate, Guilds), (EventKind.StageInstanceDelete, Guilds),
        (EventKind.GuildMemberAdd, GuildMembers), (EventKind.GuildMemberUpdate, GuildMembers), (EventKind.GuildMemberRemove, GuildMembers),
        (EventKind.GuildAuditLogEntryCreate, GuildModeration), (EventKind.GuildBanAdd, GuildModeration), (EventKind.GuildBanRemove, GuildModeration),
        (EventKind.GuildEmojisUpdate, GuildExpressions), (EventKind.GuildStickersUpdate, GuildExpressions),
        (EventKind.GuildSoundboardSoundCreate, GuildExpressions), (EventKind.GuildSoundboardSoundUpdate, GuildExpressions),
        (EventKind.GuildSoundboardSoundDelete, GuildExpressions), (EventKind.GuildSoundboardSoundsUpdate, GuildExpressions),
        (EventKind.GuildIntegrationsUpdate, GuildIntegrations), (EventKind.IntegrationCreate, GuildIntegrations),
        (EventKind.IntegrationUpdate, GuildIntegrations), (EventKind.IntegrationDelete, GuildIntegrations),
        (EventKind.WebhooksUpdate, GuildWebhooks),
        (EventKind.InviteCreate, GuildInvites), (EventKind.InviteDelete, GuildInvites),
        (EventKind.VoiceStateUpdate, GuildVoiceStates), (EventKind.VoiceChannelEffectSend, GuildVoiceStates),
        (EventKind.PresenceUpdate, GuildPresences),
        (EventKind.MessageCreate, GuildMessages | DirectMessages), (EventKind.MessageUpdate, GuildMessages | DirectMessages),
        (EventKind.MessageDelete, GuildMessages | DirectMessages), (EventKind.MessageDeleteBulk, GuildMessages),
        (EventKind.MessageReactionAdd, GuildMessageReactions | DirectMessageReactions),
        (EventKind.MessageReactionRemove, GuildMessageReactions | DirectMessageReactions),
        (EventKind.MessageReactionRemoveAll, GuildMessageReactions | DirectMessageReactions),
        (EventKind.MessageReactionRemoveEmoji, GuildMessageReactions | DirectMessageReactions),
        (EventKind.TypingStart, GuildMessageTyping | DirectMessageTyping),
        (EventKind.GuildScheduledEventCreate, GuildScheduledEvents), (EventKind.GuildScheduledEventUpdate, GuildScheduledEvents),
        (EventKind.GuildScheduledEventDelete, GuildScheduledEvents), (EventKind.GuildScheduledEventUserAdd, GuildScheduledEvents),
        (EventKind.GuildScheduledEventUserRemove, GuildScheduledEvents),
        (EventKind.AutoModerationRuleCreate, AutoModerationConfiguration), (EventKind.AutoModerationRuleUpdate, AutoModerationConfiguration),
        (EventKind.AutoModerationRuleDelete, AutoModerationConfiguration), (EventKind.AutoModerationActionExecution, AutoModerationExecution),
        (EventKind.MessagePollVoteAdd, GuildMessagePolls | DirectMessagePolls),
        (EventKind.MessagePollVoteRemove, GuildMessagePolls | DirectMessagePolls),
    ];

    /// <summary>The kinds a client with <paramref name="intents"/> receives; with <paramref name="inGuild"/>, for an event
    /// known to be in a guild (TYPING_START there needs GUILD_MESSAGE_TYPING, not DIRECT_MESSAGE_TYPING).</summary>
    public static EventKindSet Allowed(long intents, bool inGuild)
    {
        EventKindSet set = EventKindSet.All;
        foreach ((EventKind kind, long anyOf) in Gates)
        {
            long needed = inGuild ? anyOf & GuildSide : anyOf;
            if ((intents & needed) == 0) set = set.Without(kind);
        }

        return set;
    }
}
