// What the page's address holds, so that a view can be shared: the search (q), the section (tab), the time zone
// of the times shown (tz) and the histogram's interval. The page's former filter parameters are read too and
// become terms of the search. Pure functions, no page state (tested by src/test/js).

import { fromLegacy } from "./query.js";

export const TABS = ["events", "export", "archives", "streams", "admins"];
const LEGACY = ["product", "category", "event", "user", "from", "to"];

// The view an address (its search part, ?…) names.
export function readAddress(search) {
  const p = new URLSearchParams(search);
  const legacyQ = fromLegacy(p);
  const q = [(p.get("q") || "").trim(), legacyQ].filter(Boolean).join(" ");
  const tab = TABS.includes(p.get("tab")) ? p.get("tab") : "events";
  const tz = p.get("tz") === "local" ? "local" : p.get("tz") === "utc" ? "utc" : null;
  const interval = p.get("interval") === "hour" ? "hour" : p.get("interval") === "day" ? "day" : null;
  return { q, tab, tz, interval, legacy: LEGACY.some((n) => p.has(n)) };
}

// The search part of the address of a view (its other parameters kept): "" when there is nothing to say.
export function writeAddress(view, search) {
  const p = new URLSearchParams(search || "");
  for (const n of [...LEGACY, "q", "tab", "tz", "interval"]) p.delete(n);
  if (view.q && view.q.trim()) p.set("q", view.q.trim());
  if (view.tab && view.tab !== "events") p.set("tab", view.tab);
  if (view.tz) p.set("tz", view.tz);
  if (view.interval) p.set("interval", view.interval);
  const s = p.toString();
  return s ? "?" + s : "";
}
