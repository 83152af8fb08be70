using System.Text;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

public class EventKindsTests
{
    public static TheoryData<EventKind> Kinds()
    {
        var data = new TheoryData<EventKind>();
        foreach (EventKind kind in Enum.GetValues<EventKind>())
        {
            if (kind is not (EventKind.None or EventKind.Unknown))
            {
                data.Add(kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_round_trips_through_its_name(EventKind kind)
    {
        Assert.Equal(kind, EventKinds.FromName(EventKinds.ToUtf8Name(kind)));
        Assert.Equal(EventKinds.ToName(kind), Encoding.UTF8.GetString(EventKinds.ToUtf8Name(kind)));
        Assert.Matches("^[A-Z]+(_[A-Z]+)*$", EventKinds.ToName(kind));
    }

    [Theory]
    [InlineData("GUILD_CREATE", EventKind.GuildCreate)]
    [InlineData("MESSAGE_CREATE", EventKind.MessageCreate)]
    [InlineData("GUILD_MEMBERS_CHUNK", EventKind.GuildMembersChunk)]
    [InlineData("RATE_LIMITED", EventKind.RateLimited)]
    [InlineData("SOUNDBOARD_SOUNDS", EventKind.SoundboardSounds)]
    [InlineData("GUILD_SOUNDBOARD_SOUNDS_UPDATE", EventKind.GuildSoundboardSoundsUpdate)]
    [InlineData("MESSAGE_POLL_VOTE_ADD", EventKind.MessagePollVoteAdd)]
    [InlineData("GUILD_AUDIT_LOG_ENTRY_CREATE", EventKind.GuildAuditLogEntryCreate)]
    [InlineData("READY", EventKind.Ready)]
    [InlineData("RESUMED", EventKind.Resumed)]
    [InlineData("TYPING_START", EventKind.TypingStart)]
    [InlineData("guild_create", EventKind.Unknown)]
    [InlineData("GUILD_CREATE_", EventKind.Unknown)]
    [InlineData("GUILD_CREAT", EventKind.Unknown)]
    [InlineData("UNKNOWN", EventKind.Unknown)]
    [InlineData("NONE", EventKind.Unknown)]
    [InlineData("", EventKind.Unknown)]
    public void Known_wire_names_map_to_their_kind_and_others_to_unknown(string name, EventKind expected) =>
        Assert.Equal(expected, EventKinds.FromName(Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void Unknown_none_and_out_of_range_values_have_names()
    {
        Assert.Equal("UNKNOWN", EventKinds.ToName(EventKind.Unknown));
        Assert.Equal("NONE", EventKinds.ToName(EventKind.None));
        Assert.Equal("UNKNOWN", EventKinds.ToName((EventKind)60000));
        Assert.Equal("UNKNOWN"u8.ToArray(), EventKinds.ToUtf8Name((EventKind)60000).ToArray());
    }

    [Fact]
    public void All_lists_every_dispatch_kind_once()
    {
        EventKind[] all = EventKinds.All.ToArray();
        Assert.Equal(Enum.GetValues<EventKind>().Length - 2, all.Length);
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.DoesNotContain(EventKind.None, all);
    }
}
