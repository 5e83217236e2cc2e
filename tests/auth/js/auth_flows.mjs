// supabase-js (Node 20) against the local Auth service. Run by tests/auth/test_supabase_js.py
// with SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, TEST_EMAIL and TEST_PHONE.
// When it needs the SMS code it prints {"need_code": phone} and reads the code from stdin.
// The last line it prints is {"ok": true} or the error that stopped it.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

// ES module imports ignore NODE_PATH; require() honours it, so the packages in tools/ resolve.
const require = createRequire(import.meta.url)
const { createClient } = require('@supabase/supabase-js')
const WebSocket = require('ws')

const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, TEST_EMAIL, TEST_PHONE } =
  process.env
const options = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket },
}
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

function client(key = SUPABASE_ANON_KEY) {
  return createClient(SUPABASE_URL, key, options)
}

function expectError(result, status, code) {
  assert.ok(result.error, `expected ${code}, got data ${JSON.stringify(result.data)}`)
  assert.equal(result.error.status, status)
  assert.equal(result.error.code, code)
}

async function passwordFlows() {
  const admin = client(SUPABASE_SERVICE_ROLE_KEY)
  const created = await admin.auth.admin.createUser({
    email: TEST_EMAIL,
    password: 'js secret 1',
    email_confirm: true,
    user_metadata: { name: 'Node' },
  })
  assert.equal(created.error, null)
  const userId = created.data.user.id

  const web = client()
  expectError(
    await web.auth.signInWithPassword({ email: TEST_EMAIL, password: 'wrong' }),
    400,
    'invalid_credentials',
  )
  const signedIn = await web.auth.signInWithPassword({ email: TEST_EMAIL, password: 'js secret 1' })
  assert.equal(signedIn.error, null)
  const first = signedIn.data.session
  assert.equal(first.user.id, userId)
  assert.equal(first.token_type, 'bearer')

  const current = await web.auth.getUser()
  assert.equal(current.data.user.email, TEST_EMAIL)
  const updated = await web.auth.updateUser({ password: 'js secret 2', data: { shift: 'am' } })
  assert.equal(updated.error, null)
  assert.deepEqual(updated.data.user.user_metadata, { name: 'Node', shift: 'am' })

  const refreshed = await web.auth.refreshSession()
  assert.equal(refreshed.error, null)
  assert.notEqual(refreshed.data.session.refresh_token, first.refresh_token)

  const page = await admin.auth.admin.listUsers({ page: 1, perPage: 1 })
  assert.equal(page.error, null)
  assert.equal(page.data.users.length, 1)
  assert.ok(page.data.total >= 1)
  assert.ok(page.data.lastPage >= 1)
  expectError(await web.auth.admin.listUsers(), 403, 'not_admin')

  const stale = refreshed.data.session.refresh_token
  assert.equal((await web.auth.signOut({ scope: 'local' })).error, null)
  expectError(
    await client().auth.refreshSession({ refresh_token: stale }),
    400,
    'refresh_token_not_found',
  )
  assert.equal((await admin.auth.admin.deleteUser(userId)).error, null)
}

async function phoneCodeFlow() {
  const kiosk = client()
  assert.equal((await kiosk.auth.signInWithOtp({ phone: TEST_PHONE })).error, null)
  console.log(JSON.stringify({ need_code: TEST_PHONE }))
  const { value: code } = await stdinLines.next()
  const wrongCode = String((Number(code) + 1) % 1000000).padStart(6, '0')
  expectError(
    await kiosk.auth.verifyOtp({ phone: TEST_PHONE, token: wrongCode, type: 'sms' }),
    403,
    'otp_expired',
  )
  const verified = await kiosk.auth.verifyOtp({ phone: TEST_PHONE, token: code.trim(), type: 'sms' })
  assert.equal(verified.error, null)
  assert.equal(verified.data.user.phone, TEST_PHONE.replace('+', ''))
  assert.ok(verified.data.user.phone_confirmed_at)
  assert.equal((await kiosk.auth.getUser()).data.user.id, verified.data.user.id)
}

try {
  await passwordFlows()
  await phoneCodeFlow()
  console.log(JSON.stringify({ ok: true }))
  process.exit(0)
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error) }))
  process.exit(1)
}
