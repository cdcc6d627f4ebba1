// The organization's streams: one card per stream (its destination, filters, state and place per product), the
// form that creates and changes them, test, pause and resume, replay and delete.

import { call, describe, orgPath, showError } from "./api.js";
import { $, closeDialog, el, fromTemplate, openDialog, part, setText, show } from "./dom.js";
import { formatLag, formatTime, pad, sentence } from "./format.js";
import { state } from "./state.js";

const streams = {
  list: [],
  notes: {},
  timer: null,
  visible: false,
  editing: null,
  replaying: null,
  deleting: null,
};

function timeElement(iso) {
  return el("time", { datetime: iso, text: formatTime(iso, state.tz) });
}

// The destination types this form knows the settings of; a stream of another type (made over the API) is listed
// and managed, but changed only over the API.
const STREAM_TYPES = { webhook: "Webhook", syslog: "Syslog", "splunk-hec": "Splunk HEC", s3: "S3" };
const FACILITIES = (
  "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp ntp audit alert clock " +
  "local0 local1 local2 local3 local4 local5 local6 local7"
).split(" ");
// The form's control for each member the API names in a refusal's "field" ("products[1]" is "products"); the
// destination's members by its type, as two types may have a member of the same name (a HEC's "host" is not a
// syslog receiver's).
const STREAM_FIELDS = {
  name: "stream-name",
  "destination.type": "stream-type",
  "destination.ca": "stream-ca",
  products: "stream-products",
  categories: "stream-categories",
};
const DESTINATION_FIELDS = {
  webhook: { url: "stream-url", secret: "stream-secret" },
  syslog: {
    host: "stream-host",
    port: "stream-port",
    tls: "stream-tls",
    relp: "stream-relp",
    facility: "stream-facility",
    hostname: "stream-hostname",
    enterpriseId: "stream-enterprise",
    clientCertificate: "stream-client-cert",
    clientKey: "stream-client-key",
  },
  "splunk-hec": {
    url: "stream-hec-url",
    token: "stream-hec-token",
    index: "stream-hec-index",
    sourcetype: "stream-hec-sourcetype",
    source: "stream-hec-source",
    host: "stream-hec-host",
    ack: "stream-hec-ack",
  },
  s3: {
    bucket: "stream-s3-bucket",
    region: "stream-s3-region",
    endpoint: "stream-s3-endpoint",
    pathStyle: "stream-s3-path-style",
    prefix: "stream-s3-prefix",
    accessKeyId: "stream-s3-access-key",
    secretAccessKey: "stream-s3-secret-key",
  },
};
// the destination types without a "ca" member
const NO_CA = ["s3"];
const STREAM_REFRESH_MILLIS = 10000;

function streamFieldId(field, type) {
  if (STREAM_FIELDS[field]) return STREAM_FIELDS[field];
  const members = DESTINATION_FIELDS[type];
  return members && field.startsWith("destination.") ? members[field.slice("destination.".length)] || null : null;
}

function streamsPath(id, action) {
  return orgPath("/streams") + (id ? "/" + encodeURIComponent(id) : "") + (action ? "/" + action : "");
}

export function wireStreams() {
  $("stream-new").addEventListener("click", () => openStreamForm(null));
  $("stream-type").addEventListener("change", showStreamType);
  $("stream-facility").replaceChildren(...FACILITIES.map((f) => el("option", { value: f, text: f })));
  $("stream-form").addEventListener("submit", saveStream);
  $("stream-dialog").addEventListener("close", () => {
    // nothing typed, a secret above all, stays in the page once the dialog is closed
    $("stream-form").reset();
    streams.editing = null;
  });
  $("replay-form").addEventListener("submit", replayStream);
  $("delete-stream-button").addEventListener("click", deleteStream);
  // refreshed every 10 s while the section is on screen and the page is visible
  if ("IntersectionObserver" in window) {
    new IntersectionObserver((entries) => {
      streams.visible = entries.some((e) => e.isIntersecting);
    }).observe($("streams-section"));
  } else {
    streams.visible = true;
  }
}

function scheduleStreams() {
  clearTimeout(streams.timer);
  streams.timer = setTimeout(() => {
    if (document.visibilityState === "visible" && streams.visible) loadStreams();
    else scheduleStreams();
  }, STREAM_REFRESH_MILLIS);
}

export async function loadStreams() {
  clearTimeout(streams.timer);
  let list;
  try {
    list = (await call("GET", streamsPath())).streams;
  } catch (e) {
    showError("streams-error", e);
    if (e.status === 403 || e.status === 401) {
      // no longer allowed: nothing of the streams stays on the page
      streams.list = [];
      $("streams-list").replaceChildren();
      show("stream-new", false);
      return;
    }
    scheduleStreams();
    return;
  }
  show("streams-error", false);
  streams.list = list;
  renderStreams();
  scheduleStreams();
}

// Each stream's card is built again only when the stream changed, so a refresh leaves focus where it was; a card
// that had focus gives it to the same control of its new card.
function renderStreams() {
  const list = $("streams-list");
  const old = new Map([...list.children].map((c) => [c.dataset.stream, c]));
  const cards = streams.list.map((s) => {
    const key = JSON.stringify(s) + "\u0000" + JSON.stringify(streams.notes[s.id] || null) + state.tz;
    const card = old.get(s.id);
    if (card && card.dataset.key === key) return card;
    const fresh = streamCard(s);
    fresh.dataset.key = key;
    if (card) {
      const focused = card.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      card.replaceWith(fresh);
      const again = focused ? fresh.querySelector('[data-action="' + focused + '"]') : null;
      if (again) again.focus();
    }
    return fresh;
  });
  for (const c of [...list.children]) {
    if (!cards.includes(c)) c.remove();
  }
  cards.forEach((c, i) => {
    if (list.children[i] !== c) list.insertBefore(c, list.children[i] || null);
  });
  show("streams-empty", streams.list.length === 0);
}

function destinationText(d) {
  if (d.type === "webhook") return d.url || "";
  if (d.type === "syslog") {
    const tls = String(d.tls) !== "false";
    const relp = String(d.relp) === "true";
    return d.host + ":" + d.port + (relp ? ", RELP" : "") + (tls ? " over TLS" : " over plain TCP");
  }
  if (d.type === "splunk-hec") return d.url + (d.index ? ", index " + d.index : "");
  if (d.type === "s3") {
    return (
      "s3://" +
      d.bucket +
      "/" +
      (d.prefix || "") +
      (d.endpoint ? " at " + d.endpoint : " in " + (d.region || "us-east-1"))
    );
  }
  return d.url || d.host || "";
}

function pausedByText(by) {
  if (!by) return "";
  if (by.startsWith("user:")) {
    const user = by.slice(5);
    return "by " + (state.session && user === state.session.userId ? "you (" + user + ")" : user);
  }
  if (by === "operator") return "by the operator";
  if (by === "failing") return "after failing for 7 days without a success";
  if (by.startsWith("plan:")) return "while the plan does not let the log out (rule: " + by.slice(5).trim() + ")";
  return "(" + by + ")";
}

// an active stream whose attempts fail in some log (retried, not refused for good)
function retrying(s) {
  return s.state === "active" && s.logs.some((p) => p.failingSince);
}

function stateText(s) {
  switch (s.state) {
    case "active":
      return retrying(s) ? "Active: retrying, the destination fails (see Last error)" : "Active: delivering";
    case "paused":
      return "Paused " + pausedByText(s.pausedBy) + "; it keeps its place";
    case "failing":
      return "Failing: the destination refused; tried again at the longest wait";
    case "disabled":
      return "Disabled: the " + s.destination.type + " destination is not installed on the server";
    default:
      return s.state;
  }
}

function streamCard(s) {
  const key = "stream-" + s.id.replace(/[^A-Za-z0-9_-]/g, "_");
  const d = s.destination;
  const card = fromTemplate("stream-card-template", {
    name: s.name,
    type: (STREAM_TYPES[d.type] || d.type) + ": ",
    destination: destinationText(d),
    secrets: d.secrets && d.secrets.length ? " (secrets set: " + d.secrets.join(", ") + ")" : "",
    products: s.products.length ? s.products.join(", ") : "All products",
    categories: s.categories.length ? s.categories.join(", ") : "All categories",
    state: stateText(s),
  });
  card.dataset.stream = s.id;
  card.setAttribute("aria-labelledby", key + "-name");
  part(card, "name").id = key + "-name";
  const stateCell = part(card, "state");
  stateCell.classList.add("state-" + (retrying(s) ? "retrying" : s.state));
  stateCell.dataset.state = s.state;

  if (s.logs.length) {
    const logs = fromTemplate("stream-logs-template", { caption: "Delivery of the stream " + s.name + " per product" });
    logs.setAttribute("aria-labelledby", key + "-logs");
    part(logs, "caption").id = key + "-logs";
    part(logs, "rows").append(...s.logs.map(logRow));
    part(card, "logs").append(logs);
  } else {
    part(card, "logs").append(el("p", { text: "No events to deliver yet." }));
  }

  const note = streams.notes[s.id];
  if (note) {
    const p = part(card, "note");
    p.textContent = note.text;
    p.classList.add(note.kind);
    p.hidden = false;
  }

  // one control that pauses or resumes, so that focus stays on it when the card is built again
  const paused = s.state === "paused";
  const wire = (action, label, handler, text) => {
    const b = card.querySelector('[data-action="' + action + '"]');
    if (text) b.textContent = text;
    b.setAttribute("aria-label", label + " the stream " + s.name);
    b.addEventListener("click", () => handler(s, b));
    return b;
  };
  const toggle = wire("toggle", paused ? "Resume" : "Pause", (x) => streamAction(x, paused ? "resume" : "pause"));
  toggle.textContent = paused ? "Resume" : "Pause";
  if (paused) toggle.classList.remove("secondary");
  wire("test", "Send a test event to", testStream);
  const edit = wire("edit", "Edit", (x) => openStreamForm(x));
  // a destination type this form does not know is changed over the API only
  if (!STREAM_TYPES[d.type]) edit.remove();
  wire("replay", "Replay", openReplay);
  wire("delete", "Delete", openDelete);
  return card;
}

function logRow(p) {
  const row = fromTemplate("stream-log-row-template", {
    product: p.product,
    delivered: p.delivered < 0 ? "none yet" : String(p.delivered),
    backlog: p.backlog.toLocaleString("en"),
    lag: formatLag(p.lagMillis),
    gap: p.gap ? "sequences " + p.gap.from + " to " + p.gap.to + " removed by retention before delivery" : "none",
  });
  row.dataset.product = p.product;
  const success = part(row, "success");
  if (p.lastSuccess) success.append(timeElement(p.lastSuccess));
  else success.textContent = "none yet";
  const error = part(row, "error");
  if (p.lastError) {
    error.append(
      timeElement(p.lastError.at),
      " ",
      el("strong", { text: p.lastError.category }),
      ": " + p.lastError.message,
    );
    if (p.failingSince) {
      error.append(el("span", { className: "help block" }, "failing since ", timeElement(p.failingSince)));
    }
  } else {
    error.textContent = "none";
    error.classList.remove("stream-error");
  }
  if (p.gap) part(row, "gap").classList.add("stream-gap");
  return row;
}

function streamNote(s, kind, text) {
  streams.notes[s.id] = { kind, text };
  setText("streams-status", text);
}

async function streamAction(s, action) {
  show("streams-error", false);
  try {
    await call("POST", streamsPath(s.id, action));
    setText("streams-status", "The stream " + s.name + " is " + (action === "pause" ? "paused." : "resumed."));
  } catch (e) {
    showError("streams-error", e);
  }
  await loadStreams();
}

async function testStream(s) {
  if (streams.notes[s.id] && streams.notes[s.id].kind === "pending") return; // one test at a time
  show("streams-error", false);
  streamNote(s, "pending", "Sending a test event…");
  renderStreams();
  try {
    const r = await call("POST", streamsPath(s.id, "test"));
    let text;
    if (r.outcome === "accepted") {
      text = "Test event accepted by the destination.";
    } else if (r.outcome === "retry") {
      text =
        "Test event not delivered: retry (" +
        r.category +
        "): " +
        sentence(r.message) +
        " A stream tries again" +
        (r.retryAfterSeconds !== null && r.retryAfterSeconds !== undefined
          ? ", after the " + r.retryAfterSeconds + " s the destination asked for."
          : " after a wait.");
    } else {
      text =
        "Test event refused (" +
        r.category +
        "): " +
        sentence(r.message) +
        " A stream meeting this refusal is failing until the destination or its settings change.";
    }
    streamNote(s, r.outcome, text);
  } catch (e) {
    delete streams.notes[s.id];
    showError("streams-error", e);
  }
  await loadStreams();
}

// ---- a stream's form: create and change ----

function checkboxes(containerId, name, values, checked) {
  const box = $(containerId);
  const all = [...new Set([...values, ...checked])];
  box.replaceChildren(
    ...all.map((v, i) =>
      el(
        "label",
        { className: "check" },
        el("input", {
          type: "checkbox",
          name,
          value: v,
          id: containerId + "-" + i,
          checked: checked.includes(v),
        }),
        " " + v,
      ),
    ),
  );
}

function catalogCategories() {
  const categories = new Set();
  for (const catalog of Object.values(state.catalog)) {
    for (const c of Object.keys(catalog)) categories.add(c);
  }
  return [...categories].sort();
}

function clearStreamErrors() {
  show("stream-form-error", false);
  const ids = [STREAM_FIELDS, ...Object.values(DESTINATION_FIELDS)].flatMap((fields) => Object.values(fields));
  for (const id of ids) {
    setText(id + "-error", "");
    show(id + "-error", false);
    $(id).removeAttribute("aria-invalid");
  }
}

function showStreamType() {
  const type = $("stream-type").value;
  show("stream-webhook", type === "webhook");
  show("stream-syslog", type === "syslog");
  show("stream-splunk-hec", type === "splunk-hec");
  show("stream-s3", type === "s3");
  show("stream-trust", !NO_CA.includes(type));
}

function openStreamForm(s) {
  streams.editing = s;
  $("stream-form").reset();
  clearStreamErrors();
  const d = s ? s.destination : { type: "webhook" };
  setText("stream-dialog-heading", s ? "Change the stream " + s.name : "New stream");
  setText("stream-save", s ? "Save the changes" : "Create the stream");
  $("stream-name").value = s ? s.name : "";
  $("stream-type").value = d.type;
  $("stream-url").value = d.type === "webhook" ? d.url || "" : "";
  $("stream-ca").value = d.ca || "";
  $("stream-host").value = d.type === "syslog" ? d.host || "" : "";
  $("stream-port").value = d.type === "syslog" ? d.port || "" : "";
  $("stream-tls").checked = d.type !== "syslog" || String(d.tls) !== "false";
  $("stream-relp").checked = d.type === "syslog" && String(d.relp) === "true";
  const facility = d.type === "syslog" && d.facility ? String(d.facility) : "local0";
  if (!FACILITIES.includes(facility)) $("stream-facility").append(el("option", { value: facility, text: facility }));
  $("stream-facility").value = facility;
  $("stream-hostname").value = d.hostname || "";
  $("stream-enterprise").value = d.type === "syslog" && d.enterpriseId ? d.enterpriseId : "";
  $("stream-client-cert").value = d.clientCertificate || "";
  const hec = d.type === "splunk-hec";
  $("stream-hec-url").value = hec ? d.url || "" : "";
  $("stream-hec-index").value = hec ? d.index || "" : "";
  $("stream-hec-sourcetype").value = hec ? d.sourcetype || "" : "";
  $("stream-hec-source").value = hec ? d.source || "" : "";
  $("stream-hec-host").value = hec ? d.host || "" : "";
  $("stream-hec-ack").checked = !hec || String(d.ack) !== "false";
  const s3 = d.type === "s3";
  $("stream-s3-bucket").value = s3 ? d.bucket || "" : "";
  $("stream-s3-region").value = s3 ? d.region || "" : "";
  $("stream-s3-endpoint").value = s3 ? d.endpoint || "" : "";
  $("stream-s3-path-style").checked = s3 && String(d.pathStyle) === "true";
  $("stream-s3-prefix").value = s3 ? d.prefix || "" : "";
  const secrets = (s && s.destination.secrets) || [];
  // a secret stored for this stream's type: its field, left empty, keeps it
  const stored = (type, name) => Boolean(s) && d.type === type && secrets.includes(name);
  setText(
    "stream-secret-help",
    stored("webhook", "secret")
      ? "Leave empty to keep the stored secret (it is never shown); type a new one to replace it."
      : "whsec_ followed by the base64 of 24 to 64 random bytes, for instance from " +
          'echo "whsec_$(head -c 32 /dev/urandom | base64)". Give the receiver the same value; ' +
          "it is stored encrypted and never shown again.",
  );
  setText(
    "stream-client-key-help",
    stored("syslog", "clientKey")
      ? "No file chosen keeps the stored key (it is never shown); choose a file to replace it."
      : "Needed with a client certificate: its private key, unencrypted PKCS#8 " +
          "(-----BEGIN PRIVATE KEY-----). It is stored encrypted and never shown again.",
  );
  setText(
    "stream-hec-token-help",
    stored("splunk-hec", "token")
      ? "Leave empty to keep the stored token (it is never shown); type a new one to replace it."
      : 'The token alone, without "Splunk " (Splunk\'s Settings > Data inputs > HTTP Event Collector). ' +
          "It is stored encrypted and never shown again.",
  );
  setText(
    "stream-s3-access-key-help",
    stored("s3", "accessKeyId")
      ? "Leave empty to keep the stored key ID (it is never shown); type a new one to replace it."
      : "Of a key allowed to write to the bucket. It is stored encrypted and never shown again.",
  );
  setText(
    "stream-s3-secret-key-help",
    stored("s3", "secretAccessKey")
      ? "Leave empty to keep the stored secret key (it is never shown); type a new one to replace it."
      : "The access key's secret. It is stored encrypted and never shown again.",
  );
  checkboxes("stream-products", "products", state.products, s ? s.products : []);
  checkboxes("stream-categories", "categories", catalogCategories(), s ? s.categories : []);
  showStreamType();
  openDialog("stream-dialog");
  $("stream-name").focus();
}

function checked(containerId) {
  return [...$(containerId).querySelectorAll("input:checked")].map((i) => i.value);
}

function numberOrText(v) {
  return /^[0-9]{1,15}$/.test(v) ? Number(v) : v;
}

async function streamBody() {
  const type = $("stream-type").value;
  const destination = { type };
  const put = (member, value) => {
    if (value !== "" && value !== null && value !== undefined) destination[member] = value;
  };
  if (type === "webhook") {
    put("url", $("stream-url").value.trim());
    put("secret", $("stream-secret").value.trim()); // empty in a change: the stored secret stays
  } else if (type === "splunk-hec") {
    put("url", $("stream-hec-url").value.trim());
    put("token", $("stream-hec-token").value.trim()); // empty in a change: the stored token stays
    put("index", $("stream-hec-index").value.trim());
    put("sourcetype", $("stream-hec-sourcetype").value.trim());
    put("source", $("stream-hec-source").value.trim());
    put("host", $("stream-hec-host").value.trim());
    destination.ack = $("stream-hec-ack").checked;
  } else if (type === "s3") {
    put("bucket", $("stream-s3-bucket").value.trim());
    put("region", $("stream-s3-region").value.trim());
    put("endpoint", $("stream-s3-endpoint").value.trim());
    destination.pathStyle = $("stream-s3-path-style").checked;
    put("prefix", $("stream-s3-prefix").value.trim());
    // empty in a change: the stored keys stay
    put("accessKeyId", $("stream-s3-access-key").value.trim());
    put("secretAccessKey", $("stream-s3-secret-key").value.trim());
  } else {
    put("host", $("stream-host").value.trim());
    put("port", numberOrText($("stream-port").value.trim()));
    destination.tls = $("stream-tls").checked;
    destination.relp = $("stream-relp").checked;
    put("facility", $("stream-facility").value);
    put("hostname", $("stream-hostname").value.trim());
    put("enterpriseId", numberOrText($("stream-enterprise").value.trim()));
    put("clientCertificate", $("stream-client-cert").value.trim());
    const key = $("stream-client-key").files[0];
    if (key) put("clientKey", await key.text()); // no file in a change: the stored key stays
  }
  if (!NO_CA.includes(type)) put("ca", $("stream-ca").value.trim());
  return {
    name: $("stream-name").value.trim(),
    destination,
    products: checked("stream-products"),
    categories: checked("stream-categories"),
  };
}

// A refusal shown at the control the API's "field" names, focused; else above the form.
function streamFieldError(e, type) {
  const field = e.field ? e.field.replace(/\[[0-9]+\]$/, "") : null;
  const id = field ? streamFieldId(field, type) : null;
  if (!id || $(id).closest("[hidden]")) {
    showError("stream-form-error", e);
    return;
  }
  setText(id + "-error", e.message + (e.error && e.error !== "invalid_field" ? " (rule: " + e.error + ")" : ""));
  show(id + "-error", true);
  const control = $(id).matches("input, select, textarea") ? $(id) : $(id).querySelector("input");
  if (control === $(id)) control.setAttribute("aria-invalid", "true");
  if (control) control.focus();
}

async function saveStream(ev) {
  ev.preventDefault();
  clearStreamErrors();
  const editing = streams.editing;
  const button = $("stream-save");
  const type = $("stream-type").value;
  button.disabled = true;
  try {
    const body = await streamBody();
    const saved = editing ? await call("PUT", streamsPath(editing.id), body) : await call("POST", streamsPath(), body);
    closeDialog("stream-dialog");
    setText("streams-status", "The stream " + saved.name + (editing ? " is changed." : " is created."));
    await loadStreams();
  } catch (e) {
    streamFieldError(e, type);
  } finally {
    button.disabled = false;
  }
}

// ---- replay and delete ----

function openReplay(s) {
  streams.replaying = s;
  setText("replay-heading", "Deliver the stream " + s.name + " again");
  setText(
    "replay-text",
    "The stream delivers again, per product, every event dated at or after this time (UTC) that retention " +
      "kept; the destination receives those events a second time.",
  );
  const now = new Date();
  $("replay-from").value =
    now.getUTCFullYear() + "-" + pad(now.getUTCMonth() + 1) + "-" + pad(now.getUTCDate()) + "T00:00:00";
  setText("replay-error", "");
  show("replay-error", false);
  $("replay-from").removeAttribute("aria-invalid");
  openDialog("replay-dialog");
}

async function replayStream(ev) {
  ev.preventDefault();
  const s = streams.replaying;
  const v = $("replay-from").value;
  const fail = (text) => {
    setText("replay-error", text);
    show("replay-error", true);
    $("replay-from").setAttribute("aria-invalid", "true");
    $("replay-from").focus();
  };
  if (!v) {
    fail("Enter a date and a time (UTC).");
    return;
  }
  // the input has no zone: its value is read as UTC, seconds added when the browser leaves them out
  const from = (v.length === 16 ? v + ":00" : v) + "Z";
  const button = $("replay-button");
  button.disabled = true;
  try {
    await call("POST", streamsPath(s.id, "replay"), { from });
    closeDialog("replay-dialog");
    setText("streams-status", "The stream " + s.name + " delivers again from " + formatTime(from, state.tz) + ".");
    await loadStreams();
  } catch (e) {
    if (e.field === "from" || !e.field) fail(describe(e));
    else fail(e.field + ": " + describe(e));
  } finally {
    button.disabled = false;
  }
}

function openDelete(s) {
  streams.deleting = s;
  setText("delete-stream-heading", "Delete the stream " + s.name + "?");
  setText(
    "delete-stream-text",
    "It stops delivering to " +
      destinationText(s.destination) +
      " at once, and its place in the log is lost: a new stream starts again from the oldest event kept.",
  );
  show("delete-stream-error", false);
  openDialog("delete-stream-dialog");
}

async function deleteStream() {
  const s = streams.deleting;
  const button = $("delete-stream-button");
  button.disabled = true;
  try {
    await call("DELETE", streamsPath(s.id));
    delete streams.notes[s.id];
    // the card goes: focus goes back to the section's own button rather than to nothing
    $("delete-stream-dialog").returnFocusTo = $("stream-new");
    closeDialog("delete-stream-dialog");
    setText("streams-status", "The stream " + s.name + " is deleted.");
    await loadStreams();
  } catch (e) {
    showError("delete-stream-error", e);
  } finally {
    button.disabled = false;
  }
}
