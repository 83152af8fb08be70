using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

/// <summary>Which dispatches a client's IDENTIFY intents let through (Discord's "List of Intents").</summary>
public sealed class IntentFilterTests
{
    private const ulong Guild = 1000;
    private const ulong NoGuild = 0;

    [Fact]
    public void Every_event_kind_fits_in_the_set()
    {
        foreach (EventKind kind in Enum.GetValues<EventKind>()) Assert.True((int)kind < EventKindSet.Capacity, kind.ToString());
    }

    [Fact]
    public void Without_removes_exactly_one_kind_in_either_word()
    {
        EventKindSet set = EventKindSet.All.Without(EventKind.Ready).Without(EventKind.GiftCodeUpdate);
        foreach (EventKind kind in Enum.GetValues<EventKind>())
        {
            Assert.Equal(kind is not (EventKind.Ready or EventKind.GiftCodeUpdate), set.Contains(kind));
        }
    }

    [Theory]
    [InlineData(GatewayIntents.Guilds, EventKind.GuildUpdate, Guild, true)]
    [InlineData(GatewayIntents.Guilds, EventKind.ChannelCreate, Guild, true)]
    [InlineData(GatewayIntents.Guilds, EventKind.MessageCreate, Guild, false)]
    [InlineData(GatewayIntents.Guilds, EventKind.MessageCreate, NoGuild, false)]
    [InlineData(GatewayIntents.Guilds, EventKind.PresenceUpdate, Guild, false)]
    [InlineData(GatewayIntents.Guilds, EventKind.GuildMemberAdd, Guild, false)]
    [InlineData(GatewayIntents.Guilds, EventKind.ThreadMembersUpdate, Guild, true)]
    [InlineData(GatewayIntents.GuildMembers, EventKind.ThreadMembersUpdate, Guild, true)]
    [InlineData(GatewayIntents.GuildMessages, EventKind.MessageCreate, Guild, true)]
    [InlineData(GatewayIntents.GuildMessages, EventKind.MessageDeleteBulk, Guild, true)]
    [InlineData(GatewayIntents.DirectMessages, EventKind.MessageCreate, NoGuild, true)]
    [InlineData(GatewayIntents.DirectMessages, EventKind.MessageCreate, Guild, false)]
    [InlineData(GatewayIntents.DirectMessages, EventKind.ChannelPinsUpdate, NoGuild, true)]
    [InlineData(GatewayIntents.DirectMessages, EventKind.ChannelPinsUpdate, Guild, false)]
    [InlineData(GatewayIntents.GuildMessageTyping, EventKind.TypingStart, Guild, true)]
    [InlineData(GatewayIntents.DirectMessageTyping, EventKind.TypingStart, Guild, false)]
    [InlineData(GatewayIntents.DirectMessageTyping, EventKind.TypingStart, NoGuild, true)]
    [InlineData(GatewayIntents.DirectMessageReactions, EventKind.MessageReactionAdd, NoGuild, true)]
    [InlineData(GatewayIntents.GuildMessageReactions, EventKind.MessageReactionRemoveEmoji, Guild, true)]
    [InlineData(GatewayIntents.DirectMessagePolls, EventKind.MessagePollVoteAdd, Guild, false)]
    [InlineData(GatewayIntents.GuildMessagePolls, EventKind.MessagePollVoteRemove, Guild, true)]
    [InlineData(GatewayIntents.GuildVoiceStates, EventKind.VoiceStateUpdate, Guild, true)]
    [InlineData(GatewayIntents.GuildExpressions, EventKind.GuildSoundboardSoundCreate, Guild, true)]
    [InlineData(GatewayIntents.GuildModeration, EventKind.GuildAuditLogEntryCreate, Guild, true)]
    [InlineData(GatewayIntents.AutoModerationExecution, EventKind.AutoModerationActionExecution, Guild, true)]
    [InlineData(GatewayIntents.AutoModerationExecution, EventKind.AutoModerationRuleCreate, Guild, false)]
    [InlineData(GatewayIntents.GuildScheduledEvents, EventKind.GuildScheduledEventUserAdd, Guild, true)]
    [InlineData(GatewayIntents.MessageContent, EventKind.MessageCreate, Guild, false)]
    public void An_event_passes_only_with_an_intent_that_gates_it(long intents, EventKind kind, ulong guildId, bool allowed)
    {
        Assert.Equal(allowed, IntentFilter.For(intents).Allows(kind, guildId));
    }

    [Theory]
    [InlineData(EventKind.InteractionCreate)]
    [InlineData(EventKind.UserUpdate)]
    [InlineData(EventKind.VoiceServerUpdate)]
    [InlineData(EventKind.EntitlementCreate)]
    [InlineData(EventKind.GuildMembersChunk)]
    [InlineData(EventKind.RateLimited)]
    [InlineData(EventKind.SoundboardSounds)]
    [InlineData(EventKind.Unknown)]
    [InlineData(EventKind.VoiceChannelStatusUpdate)]
    public void Events_no_intent_gates_always_pass(EventKind kind)
    {
        Assert.True(IntentFilter.For(0).Allows(kind, Guild));
        Assert.True(IntentFilter.For(0).Allows(kind, NoGuild));
    }

    [Fact]
    public void All_intents_and_the_all_filter_let_everything_through()
    {
        IntentFilter all = IntentFilter.For((1L << 26) - 1);
        foreach (EventKind kind in Enum.GetValues<EventKind>())
        {
            Assert.True(all.Allows(kind, Guild), kind.ToString());
            Assert.True(IntentFilter.All.Allows(kind, NoGuild), kind.ToString());
        }
    }
}
