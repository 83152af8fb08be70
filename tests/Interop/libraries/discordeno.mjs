// @discordeno/gateway 21 (https://github.com/discordeno/discordeno), the gateway part alone, asked for gateway v9 with
// `version: 9` (as libraries that still hard-code v=9 connect). Its connection settings are what the proxy's
// GET /gateway/bot returns. JSON, no compression.
export async function run(ctx) {
  const { createGatewayManager } = await import('@discordeno/gateway');
  const info = await ctx.fetchGatewayBot();
  const ready = new Set();
  const gateway = createGatewayManager({
    token: ctx.token,
    intents: ctx.intents,
    version: ctx.gatewayVersion ?? 10,
    preferSnakeCase: true,
    totalShards: ctx.shardCount,
    spawnShardDelay: 0,
    connection: {
      url: info.url,
      shards: info.shards,
      sessionStartLimit: {
        maxConcurrency: info.session_start_limit.max_concurrency,
        remaining: info.session_start_limit.remaining,
        total: info.session_start_limit.total,
        resetAfter: info.session_start_limit.reset_after,
      },
    },
    resharding: { enabled: false },
    events: {
      message: (shard, packet) => {
        if (packet.op !== 0) return;
        ctx.onDispatch(shard.id, packet.t, packet.s, packet.d);
        // Discordeno has no "ready with every guild" event: READY itself is the library's ready.
        if (packet.t === 'READY' && !ready.has(shard.id)) {
          ready.add(shard.id);
          ctx.onReady(shard.id);
        }
      },
      connected: (shard) => ctx.onUrl(shard.id, shard.socket?.url ?? null),
      resumed: (shard) => ctx.onResumed(shard.id),
      disconnected: (shard) => ctx.onClose(shard.id, 'disconnected'),
    },
  });
  gateway.logger.setLevel?.(100);
  await gateway.spawnShards();
  return () => gateway.shutdown(1000, 'done', true);
}
