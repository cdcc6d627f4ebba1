// The page's address: a view written into it is the view read from it, and the former filter addresses still
// open the same events.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readAddress, writeAddress } from "../../main/resources/web/address.js";

test("an address names the search, the section, the zone and the interval", () => {
  assert.deepEqual(readAddress(""), { q: "", tab: "events", tz: null, interval: null, legacy: false });
  assert.deepEqual(readAddress("?q=product%3ABacklog+deleted&tab=streams&tz=local&interval=hour"), {
    q: "product:Backlog deleted",
    tab: "streams",
    tz: "local",
    interval: "hour",
    legacy: false,
  });
  // what the page does not know is left at its default
  assert.deepEqual(readAddress("?tab=nothing&tz=mars&interval=week"), {
    q: "",
    tab: "events",
    tz: null,
    interval: null,
    legacy: false,
  });
});

test("a view written into an address is read back the same", () => {
  for (const v of [
    {
      q: 'event:"Add an issue" -actor:u1 created:>=2026-11-01T09:00+09:00',
      tab: "events",
      tz: "local",
      interval: "hour",
    },
    { q: "", tab: "archives", tz: null, interval: null },
    { q: "ip:2001:db8::/32 100%", tab: "events", tz: null, interval: "day" },
  ]) {
    assert.deepEqual(readAddress(writeAddress(v, "")), { ...v, legacy: false });
  }
  assert.equal(writeAddress({ q: " ", tab: "events", tz: null, interval: null }, ""), "");
  assert.equal(writeAddress({ q: "x", tab: "events", tz: null, interval: null }, "?other=1"), "?other=1&q=x");
});

test("a former filter address opens the same events as a search, and is written again as one", () => {
  const a = readAddress("?product=Backlog&category=Test&tz=local");
  assert.deepEqual(a, { q: "product:Backlog category:Test", tab: "events", tz: "local", interval: null, legacy: true });
  assert.equal(
    writeAddress(a, "?product=Backlog&category=Test&tz=local"),
    "?q=product%3ABacklog+category%3ATest&tz=local",
  );
  assert.equal(readAddress("?q=deleted&user=u1").q, "deleted actor:u1");
});
