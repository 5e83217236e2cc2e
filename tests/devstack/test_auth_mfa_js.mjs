// supabase-js (Node 20) against the local Auth service's MFA endpoints: enrol TOTP, verify with
// a code computed by otpauth from the shared secret, sign in again at aal1 and step up to aal2,
// unenrol. Run by tests/devstack/test_auth_mfa.py; prints {"ok": true} when every step held.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

// ES module imports ignore NODE_PATH; require() honours it, so the packages in tools/ resolve.
const require = createRequire(import.meta.url)
const { createClient } = require('@supabase/supabase-js')
const OTPAuth = require('otpauth')
const WebSocket = require('ws')

const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, TEST_EMAIL } = process.env
const options = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket },
}
const password = 'js mfa secret'

function claims(session) {
  return JSON.parse(Buffer.from(session.access_token.split('.')[1], 'base64url').toString())
}

const admin = createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, options)
const created = await admin.auth.admin.createUser({ email: TEST_EMAIL, password, email_confirm: true })
assert.equal(created.error, null)

const web = createClient(SUPABASE_URL, SUPABASE_ANON_KEY, options)
assert.equal((await web.auth.signInWithPassword({ email: TEST_EMAIL, password })).error, null)
const enrolled = await web.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'Authenticator' })
assert.equal(enrolled.error, null)
assert.match(enrolled.data.totp.qr_code, /^data:image\/svg\+xml;utf-8,<svg /)
const totp = OTPAuth.URI.parse(enrolled.data.totp.uri)
assert.equal(totp.secret.base32, enrolled.data.totp.secret)

const wrong = await web.auth.mfa.challengeAndVerify({ factorId: enrolled.data.id, code: '12345x' })
assert.equal(wrong.error.status, 422)
assert.equal(wrong.error.code, 'mfa_verification_failed')
const verified = await web.auth.mfa.challengeAndVerify({ factorId: enrolled.data.id, code: totp.generate() })
assert.equal(verified.error, null)
const upgraded = (await web.auth.getSession()).data.session
assert.equal(claims(upgraded).aal, 'aal2')
assert.deepEqual(claims(upgraded).amr.map((entry) => entry.method), ['totp', 'password'])

const later = createClient(SUPABASE_URL, SUPABASE_ANON_KEY, options)
await later.auth.signInWithPassword({ email: TEST_EMAIL, password })
let level = await later.auth.mfa.getAuthenticatorAssuranceLevel()
assert.deepEqual([level.data.currentLevel, level.data.nextLevel], ['aal1', 'aal2'])
const factors = await later.auth.mfa.listFactors()
assert.deepEqual(factors.data.totp.map((factor) => factor.id), [enrolled.data.id])
const challenge = await later.auth.mfa.challenge({ factorId: enrolled.data.id })
assert.equal(challenge.error, null)
assert.ok(challenge.data.expires_at > Date.now() / 1000)
const stepUp = await later.auth.mfa.verify({
  factorId: enrolled.data.id,
  challengeId: challenge.data.id,
  code: totp.generate(),
})
assert.equal(stepUp.error, null)
level = await later.auth.mfa.getAuthenticatorAssuranceLevel()
assert.deepEqual([level.data.currentLevel, level.data.nextLevel], ['aal2', 'aal2'])

const removed = await later.auth.mfa.unenroll({ factorId: enrolled.data.id })
assert.equal(removed.error, null)
assert.equal(removed.data.id, enrolled.data.id)
await later.auth.refreshSession()
level = await later.auth.mfa.getAuthenticatorAssuranceLevel()
assert.deepEqual([level.data.currentLevel, level.data.nextLevel], ['aal1', 'aal1'])
console.log(JSON.stringify({ ok: true }))
