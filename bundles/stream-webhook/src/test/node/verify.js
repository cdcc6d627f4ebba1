// Verifies deliveries of the webhook destination with the Standard Webhooks reference library (npm package
// standardwebhooks). Input: a JSON file {"secret": "whsec_…", "deliveries": [{"headers": {…}, "body": "<base64>"}]}.
// Output, one JSON array on stdout: for each delivery, whether the library verified it, what it parsed, and whether it
// refused the same delivery with one byte of the body changed, and with another secret.
"use strict";
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const webhook = new Webhook(input.secret);
const stranger = new Webhook(input.otherSecret);

function refuses(wh, body, headers) {
  try {
    wh.verify(body, headers);
    return false;
  } catch (e) {
    return true;
  }
}

const results = input.deliveries.map((d) => {
  const body = Buffer.from(d.body, "base64");
  const out = { id: d.headers["webhook-id"] };
  try {
    const payload = webhook.verify(body, d.headers);
    out.verified = true;
    out.firstSequence = payload.firstSequence;
    out.lastSequence = payload.lastSequence;
    out.events = payload.events.length;
    out.actions = payload.events.map((e) => e.action);
  } catch (e) {
    out.verified = false;
    out.error = String(e.message);
  }
  const tampered = Buffer.from(body);
  tampered[tampered.length - 3] ^= 1;
  out.tamperedRefused = refuses(webhook, tampered, d.headers);
  out.otherSecretRefused = refuses(stranger, body, d.headers);
  return out;
});
process.stdout.write(JSON.stringify(results) + "\n");
