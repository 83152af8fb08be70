// Eris 0.18 (https://github.com/abalabahaha/eris). Its REST client speaks https to a domain only, so the one call that
// must reach the proxy, GET /gateway/bot, is replaced: `bot.getBotGateway = () => fetch(proxy + '/api/v10/gateway/bot')`.
// Gateway v10, JSON (erlpack is not installed), no compression.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export async function run(ctx) {
  const Eris = require('eris');
  const bot = new Eris.Client(`Bot ${ctx.token}`, {
    intents: ctx.intents,
    maxShards: ctx.shardCount,
    firstShardID: 0,
    lastShardID: ctx.shardCount - 1,
    shardConcurrency: ctx.shardCount,
    getAllUsers: false,
    restMode: false,
  });
  bot.getBotGateway = ctx.fetchGatewayBot;
  bot.getGateway = ctx.fetchGatewayBot;
  bot.on('rawWS', (packet, shardId) => {
    if (packet.op === 0) ctx.onDispatch(shardId, packet.t, packet.s, packet.d);
  });
  bot.on('shardReady', (shardId) => ctx.onReady(shardId));
  bot.on('shardResume', (shardId) => ctx.onResumed(shardId));
  bot.on('shardDisconnect', (error, shardId) => ctx.onClose(shardId, error?.code ?? String(error ?? '')));
  bot.on('error', (error, shardId) => ctx.onError(shardId, error));
  await bot.connect();
  return () => bot.disconnect({ reconnect: false });
}
