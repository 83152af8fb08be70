using GatewayProxy.Tests.Ingress.Support;
using System.Text;
using GatewayProxy.Ingress;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator;
using Xunit;

namespace GatewayProxy.Tests.Ingress;

public sealed class ShardCommandTests
{
    [Fact]
    public async Task A_request_guild_members_goes_upstream_and_its_chunk_is_published_with_the_nonce_range()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 2);
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        Shard shard = kit.Manager.GetShard(0)!;
        string guildId = kit.Simulator.State.GetGuildIds(0)[0];
        byte[] command = Encoding.UTF8.GetBytes("{\"op\":8,\"d\":{\"guild_id\":\"" + guildId + "\",\"query\":\"\",\"limit\":0,\"nonce\":\"proxy-nonce-1\"}}");

        Assert.True(shard.TrySendCommand(command, out string? reason), reason);
        await IngressTestKit.WaitUntilAsync(
            () => kit.Simulator.GetReceivedCommands(0).Any(c => c.Op == 8),
            () => "the Simulator never received op 8");
        Assert.Equal(command, kit.Simulator.GetReceivedCommands(0).First(c => c.Op == 8).Payload);

        await kit.WaitRingCaughtUpAsync(0);
        await IngressTestKit.WaitUntilAsync(() => FindChunk(shard) >= 0, () => "no GUILD_MEMBERS_CHUNK in the ring");
        long seq = FindChunk(shard);
        ReadOnlySpan<byte> payload = shard.Ring.Read(seq, out EventMeta meta);
        Assert.True(meta.HasNonce);
        Assert.Equal("proxy-nonce-1", Encoding.UTF8.GetString(payload.Slice(meta.NonceStart, meta.NonceLength)));
        Assert.Equal(ulong.Parse(guildId), meta.GuildId);
    }

    [Theory]
    [InlineData("""{"op":2,"d":{}}""", "op 2")]
    [InlineData("""{"op":1,"d":null}""", "op 1")]
    [InlineData("""not json""", "invalid")]
    public async Task Commands_other_than_3_4_8_31_are_refused_with_a_reason(string payload, string mentions)
    {
        await using IngressTestKit kit = await IngressTestKit.StartAsync(IngressTestKit.SimulatorDefaults(shards: 1, guilds: 1));
        await kit.WaitAllReadyAsync();
        Assert.False(kit.Manager.GetShard(0)!.TrySendCommand(Encoding.UTF8.GetBytes(payload), out string? reason));
        Assert.Contains(mentions, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_past_the_send_budget_are_refused_and_heartbeats_still_go_out()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 1);
        sim.HeartbeatIntervalMs = 41250;
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        Shard shard = kit.Manager.GetShard(0)!;
        byte[] presence = """{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}"""u8.ToArray();
        int accepted = 0;
        string? reason = null;
        for (int i = 0; i < 200 && shard.TrySendCommand(presence, out reason); i++)
        {
            accepted++;
        }

        // IDENTIFY (and maybe a first heartbeat) used some of the 120; 5 stay reserved for heartbeats at a 41.25 s interval.
        Assert.InRange(accepted, 110, 120 - 5 - 1);
        Assert.InRange(shard.SendsInWindow, 120 - 5, 120);
        Assert.Contains("rate limited", reason, StringComparison.Ordinal);
        await IngressTestKit.WaitUntilAsync(() => kit.Simulator.GetReceivedCommands(0).Count(c => c.Op == 3) == accepted, () => "not every accepted command arrived");
        Assert.Equal("ready", shard.Status);
    }

    private static long FindChunk(Shard shard)
    {
        for (long seq = shard.Ring.Cursor; seq >= 0; seq--)
        {
            shard.Ring.Read(seq, out EventMeta meta);
            if (meta.Envelope.Kind == EventKind.GuildMembersChunk)
            {
                return seq;
            }
        }

        return -1;
    }
}
