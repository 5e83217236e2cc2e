// A supabase-js Realtime client driven by the pytest suite: configuration from the
// environment, commands as JSON lines on stdin, everything it observes as JSON lines on stdout.
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

// ES modules ignore NODE_PATH; require() honours it, so the packages come from tools/.
const require = createRequire(import.meta.url)
const { createClient } = require('@supabase/supabase-js')
const WebSocket = require('ws')

const env = process.env
const out = (event) => process.stdout.write(JSON.stringify(event) + '\n')

const client = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
  // Node 20 has no native WebSocket: supabase-js needs the `ws` transport.
  realtime: {
    transport: WebSocket,
    vsn: env.VSN,
    heartbeatIntervalMs: Number(env.HEARTBEAT_MS || 25000),
  },
  auth: { persistSession: false, autoRefreshToken: false },
})
client.realtime.onHeartbeat((status) => out({ kind: 'heartbeat', status }))
if (env.ACCESS_TOKEN) await client.realtime.setAuth(env.ACCESS_TOKEN)

const channel = client.channel(env.TOPIC, {
  config: {
    broadcast: { self: env.BROADCAST_SELF === '1', ack: env.BROADCAST_ACK === '1' },
    presence: { key: env.PRESENCE_KEY || '', enabled: Boolean(env.PRESENCE_KEY) },
  },
})

if (env.TABLE) {
  const binding = { event: env.EVENT || '*', schema: 'public', table: env.TABLE }
  if (env.FILTER) binding.filter = env.FILTER
  channel.on('postgres_changes', binding, (change) =>
    out({ kind: 'change', eventType: change.eventType, new: change.new, old: change.old,
          commit_timestamp: change.commit_timestamp, errors: change.errors }))
}
channel.on('broadcast', { event: '*' }, (message) => {
  const payload = message.payload instanceof ArrayBuffer
    ? { binary: Array.from(new Uint8Array(message.payload)) }
    : message.payload
  out({ kind: 'broadcast', event: message.event, payload })
})
if (env.PRESENCE_KEY) {
  channel.on('presence', { event: 'sync' }, () => out({ kind: 'presence', state: channel.presenceState() }))
}
channel.on('system', {}, (message) => out({ kind: 'system', message }))

channel.subscribe(async (status, error) => {
  out({ kind: 'status', status, error: error ? error.message : null })
  if (status === 'SUBSCRIBED' && env.PRESENCE_KEY) {
    out({ kind: 'tracked', result: await channel.track({ who: env.PRESENCE_KEY }) })
  }
})

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line)
  if (command.send) {
    const result = await channel.send({ type: 'broadcast', ...command.send })
    out({ kind: 'sent', result })
  } else if (command.sendBinary) {
    const bytes = new Uint8Array(command.sendBinary.bytes)
    const result = await channel.send({
      type: 'broadcast', event: command.sendBinary.event, payload: bytes.buffer,
    })
    out({ kind: 'sent', result })
  } else if (command.setAuth) {
    await client.realtime.setAuth(command.setAuth)
    out({ kind: 'auth-set' })
  } else if (command.quit) {
    break
  }
}
await client.removeAllChannels()
process.exit(0)
