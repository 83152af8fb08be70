// Drives a real Discord client library against a gateway (the simulator, or the proxy in front of it) and reports
// what it saw as one JSON line. Run by tests/Interop/*Tests.cs; packages are pinned in package-lock.json
// (install with `npm ci` in tests/Interop).
//
// usage: node simulator-clients.mjs --client ws|discord.js|eris|oceanic|discordeno --api http://127.0.0.1:PORT/api
//                                   --token T --shards N [--guilds-per-shard 3,3] [--live-events 5] [--timeout-ms 60000]
//                                   [--then resume|stay] [--discovery rest|fetch] [--gateway-version 9]
// eris, oceanic and discordeno (libraries/*.mjs) always find the gateway with one GET /gateway/bot to --api, the way
// README.md tells their users to; over https/wss they trust what NODE_EXTRA_CA_CERTS names.
// env:   SIM_API, SIM_TOKEN, SIM_SHARDS, SIM_CLIENT, SIM_GUILDS_PER_SHARD, SIM_LIVE_EVENTS, SIM_TIMEOUT_MS
//
// Line protocol (one JSON object per stdout line):
//   {"phase":"ready", ...}   every shard is ready, has every guild and N live events: with --then resume (default) the
//                            test now sends op 7 to each shard; with --then stay the script just stays connected (the
//                            test kills it: a bot process that dies without closing)
//   {"phase":"result", ...}  final report (also on failure or timeout), then the process exits (0 = ok)
// Lines starting with "#" are diagnostics.

import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    client: { type: 'string', default: process.env.SIM_CLIENT ?? 'ws' },
    api: { type: 'string', default: process.env.SIM_API },
    token: { type: 'string', default: process.env.SIM_TOKEN ?? 'sim-token' },
    shards: { type: 'string', default: process.env.SIM_SHARDS ?? '2' },
    'guilds-per-shard': { type: 'string', default: process.env.SIM_GUILDS_PER_SHARD ?? '' },
    'live-events': { type: 'string', default: process.env.SIM_LIVE_EVENTS ?? '5' },
    'timeout-ms': { type: 'string', default: process.env.SIM_TIMEOUT_MS ?? '60000' },
    then: { type: 'string', default: process.env.SIM_THEN ?? 'resume' },
    // rest: the library's REST client (base --api) asks /gateway/bot; fetch: only that call goes to --api, the way
    // README.md tells bots to reach the proxy while their other REST calls go to Discord.
    discovery: { type: 'string', default: process.env.SIM_DISCOVERY ?? 'rest' },
    // The gateway version a library that lets one choose asks for (discordeno).
    'gateway-version': { type: 'string', default: process.env.SIM_GATEWAY_VERSION ?? '' },
  },
});

if (!values.api) {
  console.error('--api (or SIM_API) is required, e.g. http://127.0.0.1:7979/api');
  process.exit(2);
}

const shardCount = Number(values.shards);
const liveEventsWanted = Number(values['live-events']);
const guildsPerShard = values['guilds-per-shard'] ? values['guilds-per-shard'].split(',').map(Number) : null;
const intents = 1 | 2 | 128 | 256 | 512 | 2048 | 32768;
const guildEvents = new Set(['READY', 'GUILD_CREATE', 'RESUMED']);

const shards = [];
for (let i = 0; i < shardCount; i++) {
  shards.push({
    shard: i,
    ready: false,
    sessionId: null,
    expectedGuilds: [],
    guilds: [],
    liveEvents: 0,
    liveEventTypes: {},
    resumed: false,
    eventsAfterResume: 0,
    seqs: [],
    seqProblems: 0,
    closes: [],
    identifies: 0,
    url: null,
  });
}

const errors = [];
let phase = 'connecting';
let finished = false;
let destroy = async () => {};

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function onDispatch(shardId, t, s, d) {
  const state = shards[shardId];
  if (!state) return;
  if (typeof s === 'number') {
    const last = state.seqs.length ? state.seqs[state.seqs.length - 1] : 0;
    // Sequence numbers belong to the session: strictly +1 each time, continued across a resume.
    if (s !== last + 1 && !(t === 'READY' && s === 1)) state.seqProblems++;
    state.seqs.push(s);
  }

  if (t === 'READY') {
    state.identifies++;
    state.sessionId = d.session_id;
    state.expectedGuilds = d.guilds.map((g) => g.id);
    state.seqs = [s];
  } else if (t === 'GUILD_CREATE' && !state.guilds.includes(d.id)) {
    state.guilds.push(d.id);
  } else if (t === 'RESUMED') {
    state.resumed = true;
  }

  if (!guildEvents.has(t) && state.guilds.length >= state.expectedGuilds.length && state.expectedGuilds.length > 0) {
    state.liveEvents++;
    state.liveEventTypes[t] = (state.liveEventTypes[t] ?? 0) + 1;
    if (state.resumed) state.eventsAfterResume++;
  }

  check();
}

function allGuilds(state) {
  const expected = guildsPerShard ? guildsPerShard[state.shard] : state.expectedGuilds.length;
  return state.ready && state.guilds.length >= expected && state.expectedGuilds.every((id) => state.guilds.includes(id));
}

function check() {
  if (phase === 'connecting' && shards.every((s) => allGuilds(s) && s.liveEvents >= liveEventsWanted)) {
    phase = values.then === 'stay' ? 'staying' : 'reconnecting';
    out({
      phase: 'ready',
      errors,
      shards: shards.map((s) => ({
        shard: s.shard,
        sessionId: s.sessionId,
        guilds: s.guilds,
        liveEvents: s.liveEvents,
        seqProblems: s.seqProblems,
        identifies: s.identifies,
        closes: s.closes,
        url: s.url,
      })),
    });
  } else if (phase === 'reconnecting' && shards.every((s) => s.resumed && s.eventsAfterResume >= liveEventsWanted)) {
    phase = 'done';
    void finish(true);
  }
}

async function finish(ok, reason) {
  if (finished) return;
  finished = true;
  if (reason) errors.push(reason);
  try {
    await Promise.race([destroy(), new Promise((r) => setTimeout(r, 3000))]);
  } catch (e) {
    errors.push(`destroy: ${e}`);
  }
  out({
    phase: 'result',
    ok: ok && errors.length === 0,
    client: values.client,
    errors,
    shards: shards.map(({ seqs, ...rest }) => ({ ...rest, lastSeq: seqs.length ? seqs[seqs.length - 1] : null })),
  });
  process.exit(ok && errors.length === 0 ? 0 : 1);
}

setTimeout(() => void finish(false, `timeout in phase ${phase}`), Number(values['timeout-ms'])).unref();

function fetchGatewayBot() {
  return fetch(`${values.api}/v10/gateway/bot`, { headers: { Authorization: `Bot ${values.token}` } }).then((r) => {
    if (!r.ok) throw new Error(`GET /gateway/bot: HTTP ${r.status}`);
    return r.json();
  });
}

async function runWs() {
  const { REST } = await import('@discordjs/rest');
  const { WebSocketManager, WebSocketShardEvents } = await import('@discordjs/ws');
  const rest = new REST({ api: values.api, version: '10' }).setToken(values.token);
  const options = { token: values.token, intents, rest, shardCount };
  if (values.discovery === 'fetch') options.fetchGatewayInformation = fetchGatewayBot;
  const manager = new WebSocketManager(options);
  manager.on(WebSocketShardEvents.Dispatch, (payload, shardId) => onDispatch(shardId, payload.t, payload.s, payload.d));
  manager.on(WebSocketShardEvents.Ready, (_data, shardId) => {
    shards[shardId].ready = true;
    check();
  });
  manager.on(WebSocketShardEvents.Resumed, (shardId) => {
    shards[shardId].resumed = true;
    check();
  });
  manager.on(WebSocketShardEvents.Closed, (code, shardId) => shards[shardId]?.closes.push(code));
  manager.on(WebSocketShardEvents.Error, (error, shardId) => errors.push(`shard ${shardId}: ${error?.message ?? error}`));
  destroy = () => manager.destroy();
  await manager.connect();
}

async function runDiscordJs() {
  const { Client, Events, Routes } = await import('discord.js');
  const client = new Client({ intents, shardCount, shards: [...Array(shardCount).keys()], rest: { api: values.api } });
  if (values.discovery === 'fetch') {
    const get = client.rest.get.bind(client.rest);
    client.rest.get = (route, options) => (route === Routes.gatewayBot() ? fetchGatewayBot() : get(route, options));
  }
  client.on(Events.Raw, (packet, shardId) => {
    if (packet.op === 0) onDispatch(shardId, packet.t, packet.s, packet.d);
  });
  client.on(Events.ShardReady, (shardId) => {
    shards[shardId].ready = true;
    check();
  });
  client.on(Events.ShardResume, (shardId) => {
    shards[shardId].resumed = true;
    check();
  });
  client.on(Events.ShardDisconnect, (event, shardId) => shards[shardId]?.closes.push(event?.code));
  client.on(Events.ShardError, (error, shardId) => errors.push(`shard ${shardId}: ${error?.message ?? error}`));
  client.on(Events.Error, (error) => errors.push(`client: ${error?.message ?? error}`));
  destroy = () => client.destroy();
  await client.login(values.token);
}

async function runLibrary(name) {
  const { run } = await import(`./libraries/${name}.mjs`);
  destroy = await run({
    token: values.token,
    intents,
    shardCount,
    gatewayVersion: values['gateway-version'] ? Number(values['gateway-version']) : undefined,
    fetchGatewayBot,
    onDispatch,
    onReady: (shardId) => {
      shards[shardId].ready = true;
      check();
    },
    onResumed: (shardId) => {
      shards[shardId].resumed = true;
      check();
    },
    onClose: (shardId, code) => shards[shardId]?.closes.push(code),
    onUrl: (shardId, url) => {
      if (shards[shardId]) shards[shardId].url = url;
    },
    onError: (shardId, error) => errors.push(`shard ${shardId}: ${error?.message ?? error}`),
  });
}

const libraries = new Set(['eris', 'oceanic', 'discordeno']);

try {
  if (values.client === 'ws') await runWs();
  else if (values.client === 'discord.js') await runDiscordJs();
  else if (libraries.has(values.client)) await runLibrary(values.client);
  else await finish(false, `unknown client ${values.client}`);
} catch (e) {
  await finish(false, `startup: ${e?.stack ?? e}`);
}
