// The search language as the page writes it: terms added by a click, the histogram's ranges, the former
// filters, and what is offered while typing.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addTerm,
  applyCompletion,
  completions,
  createdFor,
  fromLegacy,
  quote,
  splitAt,
  tokenize,
  withCreated,
} from "../../main/resources/web/query.js";

test("a query is read into terms: keys, quoted values, exclusions, words and phrases", () => {
  const terms = tokenize('product:Backlog  event:"Add an issue" -deleted "was invited" -product:Apps ip:2001:db8::/32');
  assert.deepEqual(
    terms.map((t) => [t.negated, t.key, t.value]),
    [
      [false, "product", "Backlog"],
      [false, "event", "Add an issue"],
      [true, null, "deleted"],
      [false, null, "was invited"],
      [true, "product", "Apps"],
      [false, "ip", "2001:db8::/32"],
    ],
  );
  assert.deepEqual(
    terms.map((t) => [t.start, t.end]),
    [
      [0, 15],
      [17, 37],
      [38, 46],
      [47, 60],
      [61, 74],
      [75, 91],
    ],
  );
  // a quote left open runs to the end, as one term
  assert.deepEqual(
    tokenize('event:"Add an').map((t) => t.value),
    ["Add an"],
  );
  assert.deepEqual(tokenize("   "), []);
});

test("a value is quoted only when it must be", () => {
  assert.equal(quote("Backlog"), "Backlog");
  assert.equal(quote("Add an issue"), '"Add an issue"');
  assert.equal(quote('say "hi"'), '"say \\"hi\\""');
  assert.equal(quote(""), '""');
  assert.deepEqual(
    tokenize("event:" + quote('say "hi" now')).map((t) => t.value),
    ['say "hi" now'],
  );
});

test("a value clicked is added once, and replaces its own exclusion", () => {
  assert.equal(addTerm("", "product", "Backlog"), "product:Backlog");
  assert.equal(addTerm("deleted", "event", "Sign in"), 'deleted event:"Sign in"');
  assert.equal(addTerm('deleted event:"Sign in"', "event", "Sign in"), 'deleted event:"Sign in"');
  assert.equal(addTerm("-actor:u1 created:2026-11-01", "actor", "u1"), "created:2026-11-01 actor:u1");
  // the same key again: either value (the server's OR)
  assert.equal(addTerm("product:Apps", "product", "Cacoo"), "product:Apps product:Cacoo");
  assert.equal(addTerm("x", "ip", "203.0.113.5"), "x ip:203.0.113.5");
});

test("bars chosen become created: terms that replace the query's own, exclusions kept", () => {
  assert.deepEqual(createdFor("2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z", "day"), ["created:2026-11-03"]);
  assert.deepEqual(createdFor("2026-11-03T00:00:00Z", "2026-11-06T00:00:00Z", "day"), [
    "created:2026-11-03..2026-11-05",
  ]);
  assert.deepEqual(createdFor("2026-11-03T09:00:00Z", "2026-11-03T12:00:00Z", "hour"), [
    "created:>=2026-11-03T09:00Z",
    "created:<2026-11-03T12:00Z",
  ]);
  // hours that make whole days are written as days
  assert.deepEqual(createdFor("2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z", "hour"), ["created:2026-11-03"]);
  assert.equal(
    withCreated("created:>=2026-10-01 product:Apps -created:2026-11-04 created:<2026-12-01", [
      "created:2026-11-03..2026-11-05",
    ]),
    "product:Apps -created:2026-11-04 created:2026-11-03..2026-11-05",
  );
});

test("the page's former filters become terms that mean the same", () => {
  const p = new URLSearchParams(
    "product=Backlog&category=Test&event=Add an issue&user=ann@x.example&from=2026-11-01&to=2026-11-15",
  );
  assert.equal(
    fromLegacy(p),
    'product:Backlog category:Test event:"Add an issue" actor:ann@x.example created:>=2026-11-01 created:<2026-11-16',
  );
  assert.equal(fromLegacy(new URLSearchParams("to=2026-12-31")), "created:<2027-01-01");
  assert.equal(
    fromLegacy(new URLSearchParams("from=2026-11-01T09:00:00%2B09:00&to=2026-11-02T00:00:00Z")),
    "created:>=2026-11-01T09:00:00+09:00 created:<2026-11-02T00:00:00Z",
  );
  assert.equal(fromLegacy(new URLSearchParams("tz=local")), "");
});

const vocabulary = {
  product: ["Apps", "Backlog", "Cacoo", "Typetalk"],
  event: [
    { value: "Add an issue", note: "Issue" },
    { value: "Sign in", note: "Security" },
  ],
  actor: [{ value: "u1", note: "Ann <ann@acme.example>" }],
};

test("while a key is typed, the keys that start so are offered; the exclusion sign stays", () => {
  assert.deepEqual(
    completions("", 0, vocabulary).items.map((i) => i.label),
    ["product:", "category:", "event:", "actor:", "ip:", "created:"],
  );
  const c = completions("deleted pr", 10, vocabulary);
  assert.deepEqual([c.start, c.end], [8, 10]);
  assert.deepEqual(
    c.items.map((i) => i.insert),
    ["product:"],
  );
  assert.deepEqual(
    completions("-c", 2, vocabulary).items.map((i) => i.insert),
    ["-category:", "-created:"],
  );
  // a word that is no key, or a phrase, is left alone
  assert.deepEqual(completions("deleted", 7, vocabulary).items, []);
  assert.deepEqual(completions('"was inv', 8, vocabulary).items, []);
});

test("after key:, its values, those starting with what is typed first, quoted when needed", () => {
  assert.deepEqual(
    completions("product:", 8, vocabulary).items.map((i) => i.insert),
    ["product:Apps", "product:Backlog", "product:Cacoo", "product:Typetalk"],
  );
  assert.deepEqual(
    completions("product:ca", 10, vocabulary).items.map((i) => i.insert),
    ["product:Cacoo"],
  );
  assert.deepEqual(
    completions("product:a", 9, vocabulary).items.map((i) => i.insert),
    ["product:Apps", "product:Backlog", "product:Cacoo", "product:Typetalk"],
  );
  const e = completions('x event:"sig', 12, vocabulary);
  assert.deepEqual(
    e.items.map((i) => [i.insert, i.note, i.final]),
    [['event:"Sign in"', "Security", true]],
  );
  assert.deepEqual(completions("nokey:", 6, vocabulary).items, []);
});

test("a choice replaces the term typed, and a whole term is followed by a space", () => {
  const q = "deleted pr created:2026-11-01";
  const c = completions(q, 10, vocabulary);
  assert.deepEqual(applyCompletion(q, c, c.items[0]), { q: "deleted product: created:2026-11-01", caret: 16 });
  const v = completions("product:Ba", 10, vocabulary);
  assert.deepEqual(applyCompletion("product:Ba", v, v.items[0]), { q: "product:Backlog ", caret: 16 });
  const m = completions("actor:u -x", 7, vocabulary);
  assert.deepEqual(applyCompletion("actor:u -x", m, m.items[0]), { q: "actor:u1 -x", caret: 9 });
});

test("an unreadable query is cut where the server stopped reading", () => {
  assert.deepEqual(splitAt("created:2026-13-01", 8), { before: "created:", at: "2", after: "026-13-01" });
  assert.deepEqual(splitAt('event:"Add', 10), { before: 'event:"Add', at: "", after: "" });
  assert.deepEqual(splitAt("x", 99), { before: "x", at: "", after: "" });
});
