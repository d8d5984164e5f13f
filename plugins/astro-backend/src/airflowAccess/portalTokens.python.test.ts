import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import { signAirflowToken } from './signAirflowToken';

/*
 * The tokens the backend signs, verified by the Python code the rendered
 * Airflow runs (assets/airflow_portal_auth, PyJWT), with the machine's
 * Debian python3 and its python3-jwt. The Airflow glue modules import
 * Airflow, which is not installed here: they are only compiled.
 */

const ASSETS = resolvePackagePath(
  '@airflow-portal/plugin-astro-backend',
  'assets',
);
const PACKAGE_DIR = join(ASSETS, 'airflow_portal_auth');

const PYTHON = ['/usr/bin/python3', 'python3'].find(
  candidate => spawnSync(candidate, ['-c', 'import jwt']).status === 0,
);
if (!PYTHON) {
  // eslint-disable-next-line no-console
  console.warn(
    'No python3 with PyJWT (Debian: python3-jwt): the tests of assets/airflow_portal_auth are SKIPPED',
  );
}
const describeWithPython = PYTHON ? describe : describe.skip;

function python(script: string, input: unknown = null): any {
  const run = spawnSync(PYTHON!, ['-c', script], {
    input: JSON.stringify(input),
    env: { ...process.env, PYTHONPATH: ASSETS, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`python failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

const VERIFY = `
import json, sys
from airflow_portal_auth import portal_tokens as t
out = []
for case in json.load(sys.stdin):
    try:
        claims = t.verify(case["token"], case["key"], case["audience"])
        out.append({"ok": True, "claims": claims, "fab": t.fab_role(claims["role"])})
    except t.PortalTokenError as error:
        out.append({"ok": False, "error": str(error)})
print(json.dumps(out))
`;

const KEY = 'deployment-jwt-secret-0123456789abcdef';
const subject = {
  subject: 'user:default/jane',
  role: 'ADMIN' as const,
  deploymentId: 'd7c1a0e2-5b8f-4c3a-9e61-2f4b8d0c7a15',
};

const b64url = (value: object | string) =>
  Buffer.from(
    typeof value === 'string' ? value : JSON.stringify(value),
  ).toString('base64url');

/** A token with any header, signed HMAC-SHA-`bits` (or not at all). */
function forge(header: object, payload: object, bits?: 256 | 512) {
  const body = `${b64url(header)}.${b64url(payload)}`;
  const signature = bits
    ? createHmac(`sha${bits}`, KEY).update(body).digest('base64url')
    : '';
  return `${body}.${signature}`;
}

describeWithPython('portal tokens verified by the rendered Python code', () => {
  it('accepts what the backend signs: a ticket as a ticket, an API token as an API token', async () => {
    const ticket = await signAirflowToken('ticket', KEY, subject);
    const token = await signAirflowToken('api', KEY, {
      ...subject,
      role: 'VIEWER',
    });
    const [asTicket, asToken, ticketAsToken, tokenAsTicket] = python(VERIFY, [
      {
        token: ticket.value,
        key: KEY,
        audience: AIRFLOW_ACCESS.ticketAudience,
      },
      { token: token.value, key: KEY, audience: AIRFLOW_ACCESS.apiAudience },
      { token: ticket.value, key: KEY, audience: AIRFLOW_ACCESS.apiAudience },
      { token: token.value, key: KEY, audience: AIRFLOW_ACCESS.ticketAudience },
    ]);
    expect(asTicket).toEqual({
      ok: true,
      claims: ticket.claims,
      fab: 'Admin',
    });
    expect(asToken).toMatchObject({
      ok: true,
      claims: { sub: 'user:default/jane', role: 'VIEWER' },
      fab: 'Viewer',
    });
    expect(ticketAsToken).toEqual({
      ok: false,
      error: expect.stringMatching(/audience/i),
    });
    expect(tokenAsTicket.ok).toBe(false);
  });

  it('refuses expired, not-yet-valid, wrong-key, tampered, alg-none and HS256 tokens', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const expired = await signAirflowToken('ticket', KEY, subject, hourAgo);
    const future = await signAirflowToken(
      'api',
      KEY,
      subject,
      new Date(Date.now() + 600_000),
    );
    const otherKey = await signAirflowToken('api', 'another-key', subject);
    const good = await signAirflowToken('api', KEY, {
      ...subject,
      role: 'VIEWER',
    });
    const [header, , signature] = good.value.split('.');
    const tampered = `${header}.${b64url({
      ...good.claims,
      role: 'ADMIN',
    })}.${signature}`;
    const claims = good.claims;
    const cases = {
      expired: expired.value,
      notYetValid: future.value,
      otherKey: otherKey.value,
      tampered,
      algNone: forge({ alg: 'none', typ: 'JWT' }, claims),
      hs256: forge({ alg: 'HS256', typ: 'JWT' }, claims, 256),
      unknownRole: forge(
        { alg: 'HS512', typ: 'JWT' },
        { ...claims, role: 'SUPERUSER' },
        512,
      ),
      wrongIssuer: forge(
        { alg: 'HS512', typ: 'JWT' },
        { ...claims, iss: 'someone-else' },
        512,
      ),
      noJti: forge(
        { alg: 'HS512', typ: 'JWT' },
        { ...claims, jti: undefined },
        512,
      ),
      garbage: 'not.a.token',
      empty: '',
    };
    const results = python(
      VERIFY,
      Object.values(cases).map(token => ({
        token,
        key: KEY,
        audience: AIRFLOW_ACCESS.apiAudience,
      })),
    );
    const byName = Object.fromEntries(
      Object.keys(cases).map((name, i) => [name, results[i]]),
    );
    for (const [name, result] of Object.entries(byName)) {
      expect([name, result.ok]).toEqual([name, false]);
    }
    expect(byName.expired.error).toMatch(/expired/i);
    expect(byName.otherKey.error).toMatch(/signature/i);
    expect(byName.algNone.error).toMatch(/'none' refused/);
    expect(byName.hs256.error).toMatch(/'HS256' refused/);
    expect(byName.unknownRole.error).toMatch(/unknown role/);
    // The same forgery helper, correctly signed, is accepted: the refusals
    // above are about the token, not the helper.
    const [control] = python(VERIFY, [
      {
        token: forge({ alg: 'HS512', typ: 'JWT' }, claims, 512),
        key: KEY,
        audience: AIRFLOW_ACCESS.apiAudience,
      },
    ]);
    expect(control.ok).toBe(true);
  });

  it('refuses everything when no key is configured', async () => {
    const token = await signAirflowToken('api', KEY, subject);
    const [result] = python(VERIFY, [
      { token: token.value, key: '', audience: AIRFLOW_ACCESS.apiAudience },
    ]);
    expect(result).toEqual({ ok: false, error: 'no signing key configured' });
  });

  it('uses the contract constants of AIRFLOW_ACCESS', () => {
    const constants = python(`
import json
from airflow_portal_auth import portal_tokens as t
print(json.dumps({"algorithm": t.ALGORITHM, "issuer": t.ISSUER, "ticketAudience": t.TICKET_AUDIENCE,
  "apiAudience": t.API_AUDIENCE, "serviceSubject": t.SERVICE_SUBJECT,
  "proxyTokenHeader": t.PROXY_TOKEN_HEADER, "ticketParameter": t.TICKET_PARAMETER, "roles": list(t.ROLES)}))
`);
    expect(constants).toEqual({
      algorithm: AIRFLOW_ACCESS.algorithm,
      issuer: AIRFLOW_ACCESS.issuer,
      ticketAudience: AIRFLOW_ACCESS.ticketAudience,
      apiAudience: AIRFLOW_ACCESS.apiAudience,
      serviceSubject: AIRFLOW_ACCESS.serviceSubject,
      proxyTokenHeader: AIRFLOW_ACCESS.proxyTokenHeader,
      ticketParameter: AIRFLOW_ACCESS.ticketParameter,
      roles: ['ADMIN', 'OP', 'USER', 'VIEWER'],
    });
  });

  it('turns the proxy header into a bearer token only when Authorization is absent', () => {
    const seen = python(`
import asyncio, json
from airflow_portal_auth.proxy_header import ProxyTokenMiddleware
from airflow_portal_auth.portal_tokens import bearer_token
seen = []
async def app(scope, receive, send):
    seen.append({k.decode(): v.decode() for k, v in scope["headers"]})
async def main():
    mw = ProxyTokenMiddleware(app)
    await mw({"type": "http", "headers": [(b"x-airflow-portal-token", b"svc.jwt")]}, None, None)
    await mw({"type": "http", "headers": [(b"authorization", b"Bearer user.jwt"), (b"x-airflow-portal-token", b"svc.jwt")]}, None, None)
    await mw({"type": "http", "headers": []}, None, None)
asyncio.run(main())
h = {"x-airflow-portal-token": "svc.jwt"}
seen.append({"bearer_from_proxy": bearer_token(h.get),
             "bearer_first": bearer_token({"authorization": "Bearer a.b.c", "x-airflow-portal-token": "svc"}.get),
             "basic_ignored": bearer_token({"authorization": "Basic dXNlcg=="}.get)})
print(json.dumps(seen))
`);
    expect(seen).toEqual([
      {
        'x-airflow-portal-token': 'svc.jwt',
        authorization: 'Bearer svc.jwt',
      },
      {
        authorization: 'Bearer user.jwt',
        'x-airflow-portal-token': 'svc.jwt',
      },
      {},
      {
        bearer_from_proxy: 'svc.jwt',
        bearer_first: 'a.b.c',
        basic_ignored: null,
      },
    ]);
  });

  it('compiles every module shipped to Airflow (the Airflow glue imports Airflow, not installed here)', () => {
    const files = readdirSync(PACKAGE_DIR).filter(f => f.endsWith('.py'));
    expect(files).toEqual(
      expect.arrayContaining([
        'auth_manager.py',
        'plugin.py',
        'fab_security.py',
        'webserver_config.py',
        'api_auth_backend.py',
      ]),
    );
    const compiled = python(
      `
import json, sys
ok = []
for path in json.load(sys.stdin):
    with open(path, encoding="utf-8") as source:
        compile(source.read(), path, "exec")
    ok.append(path)
print(json.dumps(len(ok)))
`,
      files.map(f => join(PACKAGE_DIR, f)),
    );
    expect(compiled).toBe(files.length);
  });
});
