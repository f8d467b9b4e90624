#!/usr/bin/env node
// A FHIR transaction endpoint that fails on purpose, for tests/push/test-push.sh: each Bundle
// (known by its first entry's fullUrl) gets the answers its rule lists, one per attempt, the last
// repeated; every request is logged with the time it arrived. Node's http only, loopback only.
//
//   node flaky-server.mjs --port=N --rules=rules.json --log=requests.ndjson [--cert=cert.pem --key=key.pem] [--hold=FILE]
//
// With --cert and --key it speaks HTTPS. With --hold, no request is answered while FILE exists (a
// server that has stopped answering: the client can be killed with Bundles in flight).
// rules.json: {"<fullUrl of entry 0>": ["503:1", "503:date:2", "200"], "default": ["200"]}
//   200          a transaction-response, every entry "201 Created" with a Location
//   503:S, 429:S that status with "Retry-After: S" (seconds)
//   503:date:S   that status with Retry-After as an HTTP-date S seconds ahead
//   400          an OperationOutcome with an issue on Bundle.entry[1]
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const rules = JSON.parse(fs.readFileSync(args.rules, 'utf8'));
const attempts = new Map();
let nextId = 1;

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const handler = async (req, res) => {
  const arrived = Date.now();
  const chunks = [];
  for await (const c of req) chunks.push(c);
  while (args.hold && fs.existsSync(args.hold)) await new Promise((r) => setTimeout(r, 50));
  if (req.socket.destroyed) return;   // the client went away while held: nothing was done
  let bundle;
  try {
    bundle = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return send(res, 400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure' }] });
  }
  const key = bundle?.entry?.[0]?.fullUrl ?? '';
  const plan = rules[key] ?? rules.default ?? ['200'];
  const n = attempts.get(key) ?? 0;
  attempts.set(key, n + 1);
  const answer = plan[Math.min(n, plan.length - 1)];
  const [code, ...rest] = answer.split(':');
  const status = Number(code);
  fs.appendFileSync(
    args.log,
    JSON.stringify({ key, attempt: n + 1, arrived, status, type: bundle.type, authorization: req.headers.authorization ?? null }) + '\n'
  );
  if (status === 200) {
    return send(res, 200, {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: (bundle.entry ?? []).map((e) => {
        const id = nextId++;
        return { response: { status: '201 Created', location: `${e.resource.resourceType}/${id}/_history/1` } };
      }),
    });
  }
  if (status === 400) {
    return send(res, 400, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', details: { text: 'flaky-server rejects this Bundle' }, expression: ['Bundle.entry[1].resource.code'] }],
    });
  }
  const headers = {};
  if (rest[0] === 'date') headers['Retry-After'] = new Date(arrived + Number(rest[1]) * 1000).toUTCString();
  else if (rest.length) headers['Retry-After'] = rest[0];
  return send(res, status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }, headers);
};
const server = args.cert
  ? https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) }, handler)
  : http.createServer(handler);

server.listen(Number(args.port), '127.0.0.1', () => process.stdout.write(`flaky-server on ${server.address().port}\n`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
