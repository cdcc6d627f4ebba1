// The search language of the events API (GET …/events?q=): read leniently here, only to offer keys and values as
// a person types and to add or replace terms; the server reads the query and says where it could not.
// Pure functions, no page state (tested by src/test/js).

// The keys of the language, each with the few words the suggestions show beside it.
export const KEYS = {
  product: "a product: product:Backlog",
  category: "a category: category:Member",
  event: 'an event: event:"Add an issue"',
  actor: "who acted, by id, name or email: actor:u1",
  ip: "an address or a network: ip:203.0.113.0/24",
  created: "a UTC day, a range or a bound: created:2026-11-01..2026-11-15, created:>=2026-11-01T09:00+09:00",
};

// The terms of a query, in order: each with its place in the text (start, end), whether it is excluded (-), its
// key (null for a word or a phrase) and its value with quotes taken off. A quote left open runs to the end.
export function tokenize(q) {
  const terms = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i])) {
      i++;
      continue;
    }
    const start = i;
    let quoted = false;
    while (i < q.length && (quoted || !/\s/.test(q[i]))) {
      if (q[i] === "\\" && quoted) i++;
      else if (q[i] === '"') quoted = !quoted;
      i++;
    }
    i = Math.min(i, q.length);
    terms.push(term(q.slice(start, i), start, i));
  }
  return terms;
}

function term(text, start, end) {
  const negated = text.startsWith("-") && text.length > 1;
  const body = negated ? text.slice(1) : text;
  const m = /^([A-Za-z]+):(.*)$/s.exec(body);
  if (m) {
    return { text, start, end, negated, key: m[1].toLowerCase(), raw: m[2], value: unquote(m[2]) };
  }
  return { text, start, end, negated, key: null, raw: body, value: unquote(body) };
}

export function unquote(raw) {
  if (!raw.startsWith('"')) return raw;
  const inner = raw.endsWith('"') && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  return inner.replace(/\\(["\\])/g, "$1");
}

// A value as the language takes it: as it is when it has no space or quote, else in quotes.
export function quote(value) {
  const v = String(value);
  if (v !== "" && /^[^\s"\\]+$/.test(v)) return v;
  return '"' + v.replace(/["\\]/g, "\\$&") + '"';
}

function join(terms) {
  return terms.map((t) => t.text).join(" ");
}

// The query with key:value added (once: a term it has already is not added again; its exclusion is taken out).
export function addTerm(q, key, value, negated) {
  const text = (negated ? "-" : "") + key + ":" + quote(value);
  const terms = tokenize(q);
  const same = (t) => t.key === key && t.value === String(value);
  if (terms.some((t) => same(t) && Boolean(t.negated) === Boolean(negated))) return join(terms);
  return join([...terms.filter((t) => !same(t)), term(text, 0, text.length)]);
}

// The query with its created: terms (not the excluded ones) replaced by the ones given.
export function withCreated(q, created) {
  const terms = tokenize(q).filter((t) => !(t.key === "created" && !t.negated));
  return join([...terms, ...created.map((c) => term(c, 0, c.length))]);
}

function utcDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcMinute(ms) {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

// The created: terms of the buckets from start (included) to end (excluded): whole UTC days as days
// (created:2026-11-03, created:2026-11-03..2026-11-05), hours as two bounds.
export function createdFor(startIso, endIso, interval) {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  const day = 86400000;
  if (interval !== "hour" || (start % day === 0 && end % day === 0)) {
    const first = utcDay(start);
    const last = utcDay(end - 1);
    return [first === last ? "created:" + first : "created:" + first + ".." + last];
  }
  return ["created:>=" + utcMinute(start), "created:<" + utcMinute(end)];
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

// The filters of the page's former addresses (?product=&category=&event=&user=&from=&to=) as terms of the
// language: from included, to a day included (or an instant excluded), as they meant.
export function fromLegacy(params) {
  const terms = [];
  const get = (name) => (params.get(name) || "").trim();
  for (const [name, key] of [
    ["product", "product"],
    ["category", "category"],
    ["event", "event"],
    ["user", "actor"],
  ]) {
    if (get(name)) terms.push(key + ":" + quote(get(name)));
  }
  if (get("from")) terms.push("created:>=" + quote(get("from")));
  const to = get("to");
  if (to) {
    if (DATE.test(to)) {
      const next = new Date(Date.parse(to + "T00:00:00Z") + 86400000).toISOString().slice(0, 10);
      terms.push("created:<" + next);
    } else {
      terms.push("created:<" + quote(to));
    }
  }
  return terms.join(" ");
}

// What may be typed at the caret: the keys while a key is typed (or nothing yet), a key's known values after
// "key:". Gives the part of the query the choice replaces (start, end) and the choices (label, note, insert,
// final: a whole term, followed by a space).
export function completions(q, caret, vocabulary) {
  const at = tokenize(q).find((t) => t.start <= caret && caret <= t.end);
  const start = at ? at.start : caret;
  const end = at ? at.end : caret;
  const typed = q.slice(start, caret);
  const negated = typed.startsWith("-");
  const body = negated ? typed.slice(1) : typed;
  const sign = negated ? "-" : "";
  const colon = body.indexOf(":");
  if (colon < 0) {
    if (body.startsWith('"')) return { start, end, items: [] };
    const items = Object.keys(KEYS)
      .filter((k) => k.startsWith(body.toLowerCase()) && k !== body.toLowerCase() + ":")
      .map((k) => ({ label: sign + k + ":", note: KEYS[k], insert: sign + k + ":", final: false }));
    return { start, end, items };
  }
  const key = body.slice(0, colon).toLowerCase();
  const partial = unquote(body.slice(colon + 1)).toLowerCase();
  const values = (vocabulary && vocabulary[key]) || [];
  const seen = new Set();
  const ranked = [];
  for (const pass of [(v) => v.toLowerCase().startsWith(partial), (v) => v.toLowerCase().includes(partial)]) {
    for (const v of values) {
      const value = typeof v === "string" ? v : v.value;
      if (!seen.has(value) && pass(value)) {
        seen.add(value);
        ranked.push(typeof v === "string" ? { value } : v);
      }
    }
  }
  const items = ranked.slice(0, 10).map((v) => ({
    label: sign + key + ":" + quote(v.value),
    note: v.note || "",
    insert: sign + key + ":" + quote(v.value),
    final: true,
  }));
  return { start, end, items };
}

// The query and the caret once a choice of completions() is taken.
export function applyCompletion(q, completion, item) {
  const before = q.slice(0, completion.start);
  let after = q.slice(completion.end);
  let insert = item.insert;
  if (item.final) {
    after = after.replace(/^\s+/, "");
    insert += " ";
  }
  return { q: before + insert + after, caret: before.length + insert.length };
}

// A query the server could not read, cut where it stopped reading (its "position"): what was read, the
// character it stopped at ("" at the end) and the rest.
export function splitAt(q, position) {
  const p = Math.max(0, Math.min(Number(position) || 0, q.length));
  return { before: q.slice(0, p), at: q.slice(p, p + 1), after: q.slice(p + 1) };
}
