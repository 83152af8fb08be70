// Oceanic.js 1.15 (https://github.com/OceanicJS/Oceanic). `gateway.override.getBot` sends the one call that must reach
// the proxy, GET /gateway/bot, there; every other REST call keeps going to Discord. Gateway v10, JSON, no compression.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export async function run(ctx) {
  const { Client } = require('oceanic.js');
  const client = new Client({
    auth: `Bot ${ctx.token}`,
    gateway: {
      intents: ctx.intents,
      maxShards: ctx.shardCount,
      concurrency: ctx.shardCount,
      override: { getBot: ctx.fetchGatewayBot },
    },
  });
  client.on('packet', (packet, shardId) => {
    if (packet.op === 0) ctx.onDispatch(shardId, packet.t, packet.s, packet.d);
  });
  client.on('shardReady', (shardId) => ctx.onReady(shardId));
  client.on('shardResume', (shardId) => ctx.onResumed(shardId));
  client.on('shardDisconnect', (error, shardId) => ctx.onClose(shardId, error?.code ?? String(error ?? '')));
  client.on('error', (error, shardId) => ctx.onError(shardId, error));
  await client.connect();
  return () => client.disconnect(false);
}
