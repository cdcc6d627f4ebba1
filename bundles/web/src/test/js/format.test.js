// How the page writes times: in UTC, or in the browser's zone with its offset (Tokyo here, and New York across a
// change of its offset).
import assert from "node:assert/strict";
import { test } from "node:test";

process.env.TZ = "Asia/Tokyo";
const { bucketLabel, formatBytes, formatLag, formatMinute, formatTime, monthName, utcDay } = await import(
  "../../main/resources/web/format.js"
);

test("a time in UTC, with milliseconds and its offset", () => {
  assert.equal(formatTime("2026-11-01T09:30:00.123Z", "utc"), "2026-11-01 09:30:00.123 +00:00");
  assert.equal(formatTime("2026-11-01T18:30:00+09:00", "utc"), "2026-11-01 09:30:00.000 +00:00");
  assert.equal(formatTime("", "utc"), "");
});

test("a time in the browser's zone carries that zone's offset, the day moved with it", () => {
  assert.equal(formatTime("2026-11-01T20:30:00.005Z", "local"), "2026-11-02 05:30:00.005 +09:00");
  assert.equal(formatMinute("2026-11-01T20:00:00Z", "local"), "2026-11-02 05:00 +09:00");
  assert.equal(formatMinute("2026-11-01T20:00:00Z", "utc"), "2026-11-01 20:00 +00:00");
});

test("across a change of offset, each time has its own", () => {
  process.env.TZ = "America/New_York";
  try {
    // daylight saving time ends in New York on 2026-11-01 at 06:00 UTC
    assert.equal(formatTime("2026-11-01T05:59:59.000Z", "local"), "2026-11-01 01:59:59.000 -04:00");
    assert.equal(formatTime("2026-11-01T06:00:00.000Z", "local"), "2026-11-01 01:00:00.000 -05:00");
  } finally {
    process.env.TZ = "Asia/Tokyo";
  }
});

test("a histogram's bucket: its UTC day, or its hour in the zone chosen", () => {
  assert.equal(utcDay("2026-11-03T23:59:59.999Z"), "2026-11-03");
  assert.equal(bucketLabel("2026-11-03T00:00:00Z", "day", "local"), "2026-11-03");
  assert.equal(bucketLabel("2026-11-03T15:00:00Z", "hour", "local"), "2026-11-04 00:00 +09:00");
  assert.equal(bucketLabel("2026-11-03T15:00:00Z", "hour", "utc"), "2026-11-03 15:00 +00:00");
});

test("sizes, months and lags in words", () => {
  assert.equal(formatBytes(null), null);
  assert.equal(formatBytes(1023), "1023 bytes");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(5 * 1024 * 1024), "5.0 MiB");
  assert.equal(monthName("202611"), "November 2026");
  assert.equal(monthName("202601"), "January 2026");
  assert.equal(formatLag(-1), "none yet");
  assert.equal(formatLag(340), "340 ms");
  assert.equal(formatLag(61500), "1 min 1 s");
  assert.equal(formatLag(3 * 3600000 + 120000), "3 h 2 min");
});
