// Storage through supabase-js under Node: every endpoint the project uses, allowed and denied.
// Run by tests/storage/test_storage_js.py, which passes the stack and two users in the environment;
// prints one JSON line listing the checks that passed, or fails with the first broken assertion.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

// ES module imports ignore NODE_PATH; CommonJS resolution honours it (tools/node_modules).
const require = createRequire(import.meta.url)
const { createClient } = require('@supabase/supabase-js')
const WebSocket = require('ws')

const env = process.env
const url = env.SUPABASE_URL
const alice = { id: env.ALICE_ID, token: env.ALICE_TOKEN }
const bob = { id: env.BOB_ID, token: env.BOB_TOKEN }
const PRIVATE = env.PRIVATE_BUCKET
const AVATARS = env.AVATARS_BUCKET
const LIMITED = env.LIMITED_BUCKET
const passed = []

function client(key, token) {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket },
    global: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  })
}

async function check(name, body) {
  await body()
  passed.push(name)
}

const asAlice = client(env.SUPABASE_ANON_KEY, alice.token).storage
const asBob = client(env.SUPABASE_ANON_KEY, bob.token).storage
const asAnon = client(env.SUPABASE_ANON_KEY).storage
const asService = client(env.SUPABASE_SERVICE_ROLE_KEY).storage
const key = (user, name) => `${user.id}/js/${name}`

await check('upload a Blob as multipart', async () => {
  const blob = new Blob(['hello from js'], { type: 'text/plain' })
  const { data, error } = await asAlice.from(PRIVATE).upload(key(alice, 'blob.txt'), blob)
  assert.equal(error, null)
  assert.equal(data.fullPath, `${PRIVATE}/${key(alice, 'blob.txt')}`)
  assert.match(data.id, /^[0-9a-f-]{36}$/)
})

await check('upload a raw body', async () => {
  const { error } = await asAlice
    .from(PRIVATE)
    .upload(key(alice, 'raw.txt'), Buffer.from('raw bytes'), { contentType: 'text/plain' })
  assert.equal(error, null)
})

await check('download', async () => {
  const { data, error } = await asAlice.from(PRIVATE).download(key(alice, 'blob.txt'))
  assert.equal(error, null)
  assert.equal(await data.text(), 'hello from js')
  const raw = await asAlice.from(PRIVATE).download(key(alice, 'raw.txt'))
  assert.equal(await raw.data.text(), 'raw bytes')
})

await check('duplicate is 409, upsert and update replace', async () => {
  const again = await asAlice.from(PRIVATE).upload(key(alice, 'raw.txt'), Buffer.from('x'))
  assert.equal(again.error.statusCode, '409')
  assert.equal(again.error.message, 'The resource already exists')
  const upsert = await asAlice
    .from(PRIVATE)
    .upload(key(alice, 'raw.txt'), Buffer.from('upserted'), { upsert: true, contentType: 'text/plain' })
  assert.equal(upsert.error, null)
  const update = await asAlice
    .from(PRIVATE)
    .update(key(alice, 'raw.txt'), new Blob(['updated'], { type: 'text/plain' }))
  assert.equal(update.error, null)
  const { data } = await asAlice.from(PRIVATE).download(key(alice, 'raw.txt'))
  assert.equal(await data.text(), 'updated')
})

await check('RLS refuses writing into another user folder', async () => {
  const { error } = await asAlice.from(PRIVATE).upload(key(bob, 'x.txt'), new Blob(['x']))
  assert.equal(error.statusCode, '403')
  assert.equal(error.message, 'new row violates row-level security policy')
  const anon = await asAnon.from(PRIVATE).upload(key(alice, 'anon.txt'), new Blob(['x']))
  assert.equal(anon.error.statusCode, '403')
})

await check('a private object is invisible without a policy', async () => {
  for (const storage of [asBob, asAnon]) {
    const { data, error } = await storage.from(PRIVATE).download(key(alice, 'blob.txt'))
    assert.equal(data, null)
    assert.equal(error.statusCode, '404')
    const exists = await storage.from(PRIVATE).exists(key(alice, 'blob.txt'))
    assert.equal(exists.data, false)
  }
  const exists = await asAlice.from(PRIVATE).exists(key(alice, 'blob.txt'))
  assert.equal(exists.data, true)
})

await check('public URL works only for a public bucket', async () => {
  const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], { type: 'image/png' })
  const { error } = await asAlice.from(AVATARS).upload(key(alice, 'face.png'), png, { upsert: true })
  assert.equal(error, null)
  const publicUrl = asAlice.from(AVATARS).getPublicUrl(key(alice, 'face.png')).data.publicUrl
  const response = await fetch(publicUrl)
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('content-type'), 'image/png')
  assert.equal((await response.arrayBuffer()).byteLength, 7)
  const hidden = await fetch(asAlice.from(PRIVATE).getPublicUrl(key(alice, 'blob.txt')).data.publicUrl)
  assert.equal(hidden.status, 400)
  assert.equal((await hidden.json()).message, 'Bucket not found')
})

await check('signed URLs open one object until they expire, and resist tampering', async () => {
  const { data, error } = await asAlice.from(PRIVATE).createSignedUrl(key(alice, 'blob.txt'), 60)
  assert.equal(error, null)
  assert.equal(await (await fetch(data.signedUrl)).text(), 'hello from js')
  const tampered = data.signedUrl.slice(0, -3) + (data.signedUrl.endsWith('AAA') ? 'BBB' : 'AAA')
  const refused = await fetch(tampered)
  assert.equal(refused.status, 400)
  assert.equal((await refused.json()).message, 'invalid signature')
  const other = await fetch(data.signedUrl.replace('blob.txt', 'raw.txt'))
  assert.equal((await other.json()).message, 'Invalid signature')
  const denied = await asBob.from(PRIVATE).createSignedUrl(key(alice, 'blob.txt'), 60)
  assert.equal(denied.error.statusCode, '404')
  const many = await asAlice
    .from(PRIVATE)
    .createSignedUrls([key(alice, 'blob.txt'), key(alice, 'nothing.txt')], 60)
  assert.equal(many.error, null)
  assert.equal(await (await fetch(many.data[0].signedUrl)).text(), 'hello from js')
  assert.equal(many.data[1].signedUrl, null)
})

await check('signed upload URLs', async () => {
  const { data, error } = await asAlice.from(PRIVATE).createSignedUploadUrl(key(alice, 'later.txt'))
  assert.equal(error, null)
  const uploaded = await asAnon
    .from(PRIVATE)
    .uploadToSignedUrl(key(alice, 'later.txt'), data.token, new Blob(['later'], { type: 'text/plain' }))
  assert.equal(uploaded.error, null)
  const { data: body } = await asAlice.from(PRIVATE).download(key(alice, 'later.txt'))
  assert.equal(await body.text(), 'later')
  const denied = await asBob.from(PRIVATE).createSignedUploadUrl(key(alice, 'bob.txt'))
  assert.equal(denied.error.statusCode, '403')
  await asAlice.from(PRIVATE).remove([key(alice, 'later.txt')])
})

await check('size and MIME limits', async () => {
  const big = await asAlice
    .from(LIMITED)
    .upload(key(alice, 'big.txt'), new Blob(['x'.repeat(17)], { type: 'text/plain' }))
  assert.equal(big.error.statusCode, '413')
  assert.equal(big.error.message, 'The object exceeded the maximum allowed size')
  const wrong = await asAlice
    .from(LIMITED)
    .upload(key(alice, 'img.png'), new Blob(['x'], { type: 'image/png' }))
  assert.equal(wrong.error.statusCode, '415')
  assert.equal(wrong.error.message, 'mime type image/png is not supported')
})

await check('list with prefix, limit, offset, sort and search', async () => {
  for (const name of ['sub/1.txt', 'sub/2.txt', 'c.txt']) {
    await asAlice.from(PRIVATE).upload(key(alice, name), new Blob([name], { type: 'text/plain' }))
  }
  const prefix = `${alice.id}/js`
  const all = await asAlice.from(PRIVATE).list(prefix)
  assert.deepEqual(all.data.map((entry) => entry.name), ['blob.txt', 'c.txt', 'raw.txt', 'sub'])
  assert.equal(all.data[3].id, null)
  const page = await asAlice
    .from(PRIVATE)
    .list(prefix, { limit: 2, offset: 1, sortBy: { column: 'name', order: 'desc' } })
  assert.deepEqual(page.data.map((entry) => entry.name), ['raw.txt', 'c.txt'])
  const searched = await asAlice.from(PRIVATE).list(prefix, { search: 'r' })
  assert.deepEqual(searched.data.map((entry) => entry.name), ['raw.txt'])
  const bobSees = await asBob.from(PRIVATE).list(prefix)
  assert.deepEqual(bobSees.data, [])
})

await check('move, copy and info', async () => {
  const moved = await asAlice.from(PRIVATE).move(key(alice, 'c.txt'), key(alice, 'moved.txt'))
  assert.equal(moved.error, null)
  const copied = await asAlice.from(PRIVATE).copy(key(alice, 'moved.txt'), key(alice, 'copied.txt'))
  assert.equal(copied.error, null)
  assert.equal(copied.data.path, `${PRIVATE}/${key(alice, 'copied.txt')}`)
  const info = await asAlice.from(PRIVATE).info(key(alice, 'copied.txt'))
  assert.equal(info.error, null)
  assert.equal(info.data.size, 'c.txt'.length)
  assert.equal(info.data.contentType, 'text/plain')
  const stolen = await asAlice.from(PRIVATE).move(key(alice, 'moved.txt'), key(bob, 'mine.txt'))
  assert.equal(stolen.error.statusCode, '403')
})

await check('remove only what RLS allows', async () => {
  const byBob = await asBob.from(PRIVATE).remove([key(alice, 'copied.txt')])
  assert.deepEqual(byBob.data, [])
  const { data, error } = await asAlice
    .from(PRIVATE)
    .remove([key(alice, 'copied.txt'), key(alice, 'moved.txt')])
  assert.equal(error, null)
  assert.equal(data.length, 2)
  const gone = await asAlice.from(PRIVATE).download(key(alice, 'copied.txt'))
  assert.equal(gone.error.statusCode, '404')
})

await check('bucket API for the service role only', async () => {
  const created = await asService.createBucket('st-js-made', {
    public: false,
    fileSizeLimit: 1024,
    allowedMimeTypes: ['text/*'],
  })
  assert.equal(created.error, null)
  const got = await asService.getBucket('st-js-made')
  assert.equal(got.data.file_size_limit, 1024)
  assert.deepEqual(got.data.allowed_mime_types, ['text/*'])
  const listed = await asService.listBuckets()
  assert.ok(listed.data.some((bucket) => bucket.id === 'st-js-made'))
  const page = await asService.listBuckets({ search: 'st-', sortColumn: 'id', sortOrder: 'desc', limit: 2 })
  assert.deepEqual(page.data.map((bucket) => bucket.id), ['st-service', 'st-private'])
  const found = await asService.listBuckets({ search: 'js-MADE' })
  assert.deepEqual(found.data.map((bucket) => bucket.id), ['st-js-made'])
  const updated = await asService.updateBucket('st-js-made', { public: true })
  assert.equal(updated.error, null)
  await asService.from('st-js-made').upload('a.txt', new Blob(['a'], { type: 'text/plain' }))
  const notEmpty = await asService.deleteBucket('st-js-made')
  assert.equal(notEmpty.error.statusCode, '409')
  assert.equal((await asService.emptyBucket('st-js-made')).error, null)
  assert.equal((await asService.deleteBucket('st-js-made')).error, null)
  const byUser = await asAlice.createBucket('st-js-user')
  assert.equal(byUser.error.statusCode, '403')
  assert.deepEqual((await asAlice.listBuckets()).data, [])
})

console.log(JSON.stringify({ passed }))
