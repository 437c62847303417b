// Reference peer: an echo server written the way the ws README writes one.
// Node's own http server owns the port; ws attaches to its 'upgrade' event for /echo only
// (other paths get 400), and plain requests are answered by the http handler (/health).
// Every message goes back as it came: ws hands us (data, isBinary) and send() keeps the type.
// ws defaults kept on purpose: perMessageDeflate is false on the server side (RFC 7692 is not
// negotiated), maxPayload 100 MiB, no bufferutil/utf-8-validate addons (pure JS masking;
// UTF-8 checked with Node's buffer.isUtf8).
'use strict';

const http = require('node:http');
const { parseArgs } = require('node:util');
const { WebSocketServer } = require('ws');

const { values: opts } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
  },
});

// Content-Length instead of Node's default chunked body, so that a client reading to the end of a
// kept-alive response knows where it stops.
function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') reply(res, 200, 'ok\n');
  else reply(res, 404, 'not found\n');
});

const wss = new WebSocketServer({ server, path: '/echo' });

wss.on('connection', (ws) => {
  ws.on('error', (err) => console.error(`node-ws: connection error: ${err.message}`));
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

// Node exits on SIGTERM by default without running anything; say why we are leaving instead.
process.on('SIGTERM', () => {
  console.log('node-ws: SIGTERM, exiting');
  process.exit(0);
});

server.listen(Number(opts.port), opts.host, () => {
  const { address, port } = server.address();
  const wsVersion = require('ws/package.json').version;
  console.log(`node-ws listening on ${address}:${port} (node ${process.version}, ws ${wsVersion})`);
});
