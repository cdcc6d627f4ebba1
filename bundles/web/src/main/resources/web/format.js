// How the page writes times, sizes and durations: pure functions, no page state (tested by src/test/js).

export function pad(n, width) {
  return String(n).padStart(width || 2, "0");
}

// The offset of a Date in the browser's time zone, as +09:00.
function offsetText(d) {
  const off = -d.getTimezoneOffset();
  const abs = Math.abs(off);
  return (off >= 0 ? "+" : "-") + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
}

// The fields of an instant in UTC, or in the browser's time zone ("local").
function fields(d, tz) {
  if (tz === "local") {
    return {
      y: d.getFullYear(),
      mo: d.getMonth() + 1,
      d: d.getDate(),
      h: d.getHours(),
      mi: d.getMinutes(),
      s: d.getSeconds(),
      ms: d.getMilliseconds(),
      offset: offsetText(d),
    };
  }
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
    offset: "+00:00",
  };
}

// A time with milliseconds and its offset: in UTC (as the files are), or in the browser's time zone.
export function formatTime(iso, tz) {
  if (!iso) return "";
  const f = fields(new Date(iso), tz);
  return (
    f.y +
    "-" +
    pad(f.mo) +
    "-" +
    pad(f.d) +
    " " +
    pad(f.h) +
    ":" +
    pad(f.mi) +
    ":" +
    pad(f.s) +
    "." +
    pad(f.ms, 3) +
    " " +
    f.offset
  );
}

// A time to the minute with its offset (a histogram's hour).
export function formatMinute(iso, tz) {
  const f = fields(new Date(iso), tz);
  return f.y + "-" + pad(f.mo) + "-" + pad(f.d) + " " + pad(f.h) + ":" + pad(f.mi) + " " + f.offset;
}

// The UTC day of an instant, as 2026-11-03.
export function utcDay(iso) {
  return new Date(iso).toISOString().slice(0, 10);
}

// A histogram bucket's name: its UTC day, or its hour in the zone chosen.
export function bucketLabel(iso, interval, tz) {
  return interval === "hour" ? formatMinute(iso, tz) : utcDay(iso);
}

export function formatBytes(n) {
  if (n === null || n === undefined) return null;
  if (n < 1024) return n + " bytes";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  return (n / 1024 / 1024).toFixed(1) + " MiB";
}

export function formatCount(n) {
  return Number(n).toLocaleString("en");
}

// "202611" as "November 2026"
export function monthName(yyyymm) {
  const d = new Date(Date.UTC(Number(yyyymm.slice(0, 4)), Number(yyyymm.slice(4, 6)) - 1, 1));
  return d.toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
}

export function formatLag(ms) {
  if (ms === null || ms === undefined || ms < 0) return "none yet";
  if (ms < 1000) return ms + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
  const minutes = Math.floor(ms / 60000);
  if (minutes < 60) return minutes + " min " + Math.floor((ms % 60000) / 1000) + " s";
  return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
}

// a message of the API ended as a sentence, once
export function sentence(text) {
  return String(text || "").replace(/[.\s]+$/, "") + ".";
}
