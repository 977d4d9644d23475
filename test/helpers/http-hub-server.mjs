// A smart-HTTP git server for tests: Node's http server on 127.0.0.1 handing every request to
// `git http-backend` as CGI (RFC 3875), as Apache or nginx+fcgiwrap would. Optional basic
// auth, as a forge asks for it: reads open or closed (AUTH_READS), pushes always closed.
// Usage: node http-hub-server.mjs <project-root> <port> [user:password]
// Prints "listening <port>" once it accepts connections; stops on SIGTERM (killed by PID).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';

const [root, portText, credentials] = process.argv.slice(2);
const authReads = process.env.AUTH_READS === '1';
const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;

function needsAuth(url) {
  if (!expected) return false;
  const push = url.pathname.endsWith('/git-receive-pack') || url.searchParams.get('service') === 'git-receive-pack';
  return push || authReads;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (needsAuth(url) && req.headers.authorization !== expected) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="agent-sessions test hub"', 'Content-Type': 'text/plain' });
    res.end('authentication required\n');
    return;
  }
  const env = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    ...(process.env.GIT_CONFIG_GLOBAL ? { GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL } : {}),
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    // http-backend enables receive-pack for an authenticated user (REMOTE_USER set).
    ...(credentials ? { REMOTE_USER: credentials.split(':')[0] } : {}),
    ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
    ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
  };
  const cgi = spawn('git', ['-c', 'http.receivepack=true', 'http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  req.pipe(cgi.stdin);
  cgi.stdin.on('error', () => {});
  let head = Buffer.alloc(0);
  let headerDone = false;
  cgi.stdout.on('data', (chunk) => {
    if (headerDone) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') !== -1 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end === -1) return;
    const sep = head[end] === 0x0d ? 4 : 2;
    const headers = {};
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    headerDone = true;
    const rest = head.subarray(end + sep);
    if (rest.length) res.write(rest);
  });
  cgi.on('close', () => res.end());
});

server.listen(Number(portText), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
