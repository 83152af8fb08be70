using GatewayProxy.Shards;
using System.Buffers;
using System.Text.Json;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Server;

namespace GatewayProxy.Egress.Http;

/// <summary>The /health body: per shard status, latency, guilds and clients; healthy when every shard is ready.</summary>
/// <remarks>Carries no token and no session ids: it may be exposed to load balancers and dashboards.</remarks>
internal static class HealthReport
{
    public static byte[] Build(EgressContext context, out bool healthy)
    {
        IShardDirectory shards = context.Shards;
        int count = Math.Max(0, shards.ShardEnd - shards.ShardStart);
        var clients = new int[count];
        foreach (ClientConnection connection in context.Connections.Keys)
        {
            if (connection.Session is { IsVirtual: true } session)
            {
                foreach (Relay.RelayCursor lane in session.Lanes)
                {
                    int laneIndex = lane.ShardId - shards.ShardStart;
                    if ((uint)laneIndex < (uint)count) clients[laneIndex]++;
                }

                continue;
            }

            int index = connection.ShardId - shards.ShardStart;
            if ((uint)index < (uint)count) clients[index]++;
        }

        healthy = true;
        var buffer = new ArrayBufferWriter<byte>(256 + (count * 96));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("shards"u8);
            for (int i = 0; i < count; i++)
            {
                int id = shards.ShardStart + i;
                IShardFeed? feed = shards.GetShard(id);
                bool ready = feed is not null && feed.IsReady;
                healthy &= ready;
                writer.WriteStartObject();
                writer.WriteNumber("id"u8, id);
                writer.WriteString("status"u8, feed?.Status ?? "missing");
                writer.WriteBoolean("ready"u8, ready);
                if (feed?.LatencyMs is double latency) writer.WriteNumber("latency_ms"u8, Math.Round(latency, 1));
                else writer.WriteNull("latency_ms"u8);
                writer.WriteNumber("guilds"u8, ready ? feed!.TakeSnapshot().GuildCount : 0);
                writer.WriteNumber("clients"u8, clients[i]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteBoolean("ready"u8, healthy);
            writer.WriteNumber("total_shards"u8, shards.TotalShards);
            writer.WriteNumber("clients"u8, context.Connections.Count);
            writer.WriteNumber("sessions"u8, context.Sessions.Count);
            // The memory guard (docs/operations.md, "Memory limit"): a low state refuses new clients but is no reason to
            // take the proxy out of a load balancer (its shards and clients still run), so it does not change the status.
            writer.WriteStartObject("memory"u8);
            writer.WriteNumber("limit_bytes"u8, context.Memory.Limit);
            writer.WriteNumber("heap_bytes"u8, context.Memory.ReadHeap());
            writer.WriteString("state"u8, context.Memory.State switch
            {
                MemoryState.Refusing => "refusing_new_clients",
                MemoryState.Shedding => "cutting_client_backlogs",
                _ => "normal",
            });
            writer.WriteEndObject();
            if (context.Reshard is { } reshard)
            {
                writer.WriteStartObject("reshard"u8);
                writer.WriteNumber("from"u8, reshard.From);
                writer.WriteNumber("to"u8, reshard.To);
                writer.WriteNumber("ready"u8, reshard.Ready);
                writer.WriteString("phase"u8, reshard.Phase);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("reshard"u8);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
