// A webhook receiver for the integration tests of streams. Every POST is verified with the Standard Webhooks
// reference library (npm package standardwebhooks) and written as one JSON line to the out file:
//   {"id": <webhook-id>, "verified": true, "status": 204, "body": <the parsed batch>}
// A delivery whose signature does not verify is answered 400 and written with "verified": false.
// POST /control {"fail": n, "status": 503, "retryAfter": "1"} makes the next n deliveries fail with that status
// (and Retry-After when given), answered before they are read, as a destination that is down; they are written with
// "status" alone.
// Usage: node receiver.js <port> <whsec_ secret> <out file>; prints "listening <port>" when ready.
"use strict";
const http = require("http");
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const [port, secret, out] = process.argv.slice(2);
const webhook = new Webhook(secret);
let failing = { fail: 0, status: 503, retryAfter: null };

function write(line) {
  fs.appendFileSync(out, JSON.stringify(line) + "\n");
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on("data", (c) => {
    size += c.length;
    if (size > 16 * 1024 * 1024) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    if (req.url === "/control") {
      failing = Object.assign({ fail: 0, status: 503, retryAfter: null }, JSON.parse(body.toString("utf8")));
      res.writeHead(204).end();
      return;
    }
    const id = req.headers["webhook-id"];
    if (failing.fail > 0) {
      // a destination that is down answers before it reads anything
      failing.fail--;
      write({ id, status: failing.status });
      const headers = failing.retryAfter ? { "Retry-After": failing.retryAfter } : {};
      res.writeHead(failing.status, headers).end();
      return;
    }
    let payload;
    try {
      payload = webhook.verify(body, req.headers);
    } catch (e) {
      write({ id, verified: false, status: 400, error: String(e.message) });
      res.writeHead(400).end();
      return;
    }
    write({ id, verified: true, status: 204, body: payload });
    res.writeHead(204).end();
  });
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening " + port));
