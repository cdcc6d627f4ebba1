// The events: the search box (the language of …/events?q=, its keys and values offered while typing), the
// histogram and the facets of the search, the table ("Load more" follows the cursor), an event's detail, and
// the zone its times are shown in. The search lives in the address (see view.js).

import { call, describe, orgPath, showError } from "./api.js";
import { $, fromTemplate, openDialog, part, setText, show } from "./dom.js";
import { clearFacets, drawFacets, facetValues, wireFacets } from "./facets.js";
import { formatTime, utcDay } from "./format.js";
import { clearHistogram, drawHistogram, redrawHistogram, wireHistogram } from "./histogram.js";
import { addTerm, applyCompletion, completions, createdFor, splitAt, withCreated } from "./query.js";
import { state } from "./state.js";
import { commitAddress, view } from "./view.js";

const TZ_KEY = "auditlog.tz";
const PAGE = 50;
let cursor = null;
let count = 0;
let generation = 0; // answers of an older search are dropped
let suggestions = null; // {completion, active}

// ---- the time zone: UTC, or the browser's, chosen with a switch and remembered in this browser --------------------

export function rememberedTz() {
  try {
    return window.localStorage.getItem(TZ_KEY) === "local" ? "local" : "utc";
  } catch {
    return "utc";
  }
}

function setTz(tz) {
  state.tz = tz;
  $("tz-local").checked = tz === "local";
  $("tz-utc").checked = tz !== "local";
}

function retime() {
  for (const t of document.querySelectorAll("time[datetime]"))
    t.textContent = formatTime(t.getAttribute("datetime"), state.tz);
  redrawHistogram();
}

// ---- wiring ------------------------------------------------------------------------------------------------------

export function wireEvents() {
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    closeSuggestions();
    searchFor($("q").value.trim(), true, true);
  });
  $("search-clear").addEventListener("click", () => {
    $("q").value = "";
    closeSuggestions();
    searchFor("", true, true);
    $("q").focus();
  });
  $("q").addEventListener("input", suggest);
  $("q").addEventListener("click", suggest);
  $("q").addEventListener("keydown", suggestionKeys);
  $("q").addEventListener("blur", () => setTimeout(closeSuggestions, 150));
  $("q-suggestions").addEventListener("pointerdown", (ev) => ev.preventDefault()); // the input keeps focus
  $("events-more").addEventListener("click", () => loadEvents(false));
  for (const r of document.querySelectorAll('input[name="tz"]')) {
    r.addEventListener("change", () => {
      setTz($("tz-local").checked ? "local" : "utc");
      try {
        window.localStorage.setItem(TZ_KEY, state.tz);
      } catch {
        // a browser that keeps nothing: the address still says it
      }
      view.tz = state.tz === "local" ? "local" : null;
      commitAddress(false);
      retime();
    });
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) setText("tz-local-label", "this browser's time zone (" + zone + ")");
  $("interval").addEventListener("change", () => {
    view.interval = $("interval").value === "hour" ? "hour" : null;
    commitAddress(true);
    loadCounts(generation);
  });
  wireHistogram((start, end, interval) => {
    const created = createdFor(start, end, interval);
    // a day or two chosen: its hours next
    if (interval === "day" && Date.parse(end) - Date.parse(start) <= 2 * 86400000) view.interval = "hour";
    else if (interval === "hour" && Date.parse(end) - Date.parse(start) > 3 * 86400000) view.interval = null;
    searchFor(withCreated(view.q, created), true, false);
  });
  wireFacets((key, value) => searchFor(addTerm(view.q, key, value), true, false));
}

// The view of the address: the search in the box, the zone, the interval; then the search itself.
export function showView(address) {
  view.q = address.q;
  view.interval = address.interval;
  view.tz = address.tz === "local" ? "local" : null;
  setTz(address.tz || rememberedTz());
  $("q").value = view.q;
  $("interval").value = view.interval || "day";
  return search();
}

// A new search: in the box, in the address (a new entry when push), then its events, histogram and facets.
function searchFor(q, push, resetInterval) {
  if (resetInterval && q !== view.q) view.interval = null;
  view.q = q;
  $("q").value = q;
  $("interval").value = view.interval || "day";
  commitAddress(push);
  return search();
}

function search() {
  const g = ++generation;
  show("q-error", false);
  $("q").removeAttribute("aria-invalid");
  return Promise.all([loadEvents(true, g), loadCounts(g)]);
}

function params(extra) {
  const p = new URLSearchParams();
  if (view.q) p.set("q", view.q);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p.toString();
}

// ---- the table ----------------------------------------------------------------------------------------------------

async function loadEvents(fresh, g) {
  const mine = g || generation;
  show("events-error", false);
  const p = { limit: String(PAGE) };
  if (!fresh && cursor) p.cursor = cursor;
  setText("events-status", "Loading events…");
  let page;
  try {
    page = await call("GET", orgPath("/events?" + params(p)));
  } catch (e) {
    if (mine !== generation) return;
    if (fresh) {
      $("events-table").tBodies[0].replaceChildren();
      count = 0;
      show("events-more", false);
    }
    if (e.error === "invalid_query") queryError(e);
    else showError("events-error", e);
    setText("events-status", "");
    performance.mark("auditlog-events");
    return;
  }
  if (mine !== generation) return;
  const body = $("events-table").tBodies[0];
  if (fresh) {
    body.replaceChildren();
    count = 0;
  }
  cursor = page.nextCursor;
  body.append(...page.events.map(eventRow));
  count += page.events.length;
  show("events-more", Boolean(page.nextCursor));
  let status =
    count === 0
      ? "No events match."
      : count + " events shown" + (page.nextCursor ? "; more are available." : "; that is all.");
  if (page.searchedBackTo) status += " Searched back to " + formatTime(page.searchedBackTo, state.tz) + ".";
  setText("events-status", status);
  performance.mark("auditlog-events");
}

function eventRow(e) {
  const row = fromTemplate("event-row-template", {
    product: e.product,
    category: e.category,
    event: e.event,
    action: e.action,
    user: e.operation_user_name,
    email: e.operation_user_email,
    ip: e.ip_address,
  });
  row.dataset.id = e.id;
  const time = part(row, "date");
  time.setAttribute("datetime", e.date);
  time.textContent = formatTime(e.date, state.tz);
  const details = part(row, "details");
  details.setAttribute("aria-label", "Details of the event " + e.event + " at " + e.date);
  details.addEventListener("click", () => showEvent(e));
  return row;
}

// The server could not read the search: where, and what it expected there, with the place marked in the box.
function queryError(e) {
  const q = view.q;
  const at = e.position === null ? null : splitAt(q, e.position);
  setText("q-error-text", describe(e) + (at ? " At character " + (e.position + 1) + ":" : ""));
  show("q-error-where", Boolean(at));
  if (at) {
    setText("q-error-before", at.before);
    setText("q-error-at", at.at || " ");
    setText("q-error-after", at.after);
  }
  show("q-error", true);
  $("q").setAttribute("aria-invalid", "true");
  clearHistogram("", true);
  clearFacets();
  if (at) {
    $("q").focus();
    $("q").setSelectionRange(e.position, Math.min(q.length, e.position + 1));
  }
}

function showEvent(e) {
  setText("event-heading", e.event + " · " + formatTime(e.date, state.tz));
  setText("event-json", JSON.stringify(e, null, 2));
  setText("copy-status", "");
  openDialog("event-dialog");
}

export function wireCopy() {
  $("copy-json").addEventListener("click", async () => {
    const text = $("event-json").textContent;
    try {
      await navigator.clipboard.writeText(text);
      setText("copy-status", "The JSON is copied.");
    } catch {
      const range = document.createRange();
      range.selectNodeContents($("event-json"));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      const copied = document.execCommand && document.execCommand("copy");
      setText("copy-status", copied ? "The JSON is copied." : "The JSON is selected: press Ctrl+C to copy it.");
    }
  });
}

// ---- histogram and facets ---------------------------------------------------------------------------------------

async function loadCounts(g) {
  const interval = view.interval || "day";
  setText("histogram-summary", "Counting…");
  const [h, f] = await Promise.allSettled([
    call("GET", orgPath("/events/histogram?" + params({ interval }))),
    call("GET", orgPath("/events/facets?" + params())),
  ]);
  if (g !== generation) return;
  const refused = [h, f].find((r) => r.status === "rejected" && r.reason.error === "invalid_query");
  if (refused) {
    queryError(refused.reason);
    return;
  }
  if (h.status === "fulfilled") drawHistogram(h.value);
  else if (h.reason.status === 404) clearHistogram("", true);
  else clearHistogram(h.reason.error === "invalid_query" ? "" : "The events cannot be counted: " + describe(h.reason));
  if (f.status === "fulfilled") drawFacets(f.value);
  else clearFacets();
}

// ---- suggestions while typing: a list box under the search box (the ARIA combobox pattern) ------------------------

function vocabulary() {
  const categories = new Set();
  const events = [];
  for (const catalog of Object.values(state.catalog)) {
    for (const [category, names] of Object.entries(catalog)) {
      categories.add(category);
      for (const n of names) events.push({ value: n, note: category });
    }
  }
  const now = Date.now();
  const day = 86400000;
  const today = utcDay(new Date(now).toISOString());
  const weekAgo = utcDay(new Date(now - 6 * day).toISOString());
  const monthStart = today.slice(0, 8) + "01";
  return {
    product: state.products,
    category: [...categories].sort(),
    event: events.sort((a, b) => a.value.localeCompare(b.value)),
    actor: state.members.map((m) => ({ value: m.userId, note: m.name + (m.email ? " <" + m.email + ">" : "") })),
    ip: facetValues("ip"),
    created: [
      { value: today, note: "today (UTC)" },
      { value: weekAgo + ".." + today, note: "the last 7 days" },
      { value: monthStart + ".." + today, note: "this month" },
      { value: ">=" + today + "T00:00Z", note: "from a time (an offset or Z)" },
    ],
  };
}

function suggest() {
  const input = $("q");
  const c = completions(input.value, input.selectionStart, vocabulary());
  if (c.items.length === 0 || input.selectionStart !== input.selectionEnd) {
    closeSuggestions();
    return;
  }
  suggestions = { completion: c, active: -1 };
  $("q-suggestions").replaceChildren(
    ...c.items.map((item, i) => {
      const option = fromTemplate("suggestion-template", { label: item.label, note: item.note });
      option.id = "q-option-" + i;
      option.addEventListener("click", () => take(i));
      return option;
    }),
  );
  show("q-suggestions", true);
  input.setAttribute("aria-expanded", "true");
  mark(-1);
}

function mark(i) {
  suggestions.active = i;
  const options = [...$("q-suggestions").children];
  options.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
  if (i >= 0) {
    $("q").setAttribute("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  } else {
    $("q").removeAttribute("aria-activedescendant");
  }
}

function closeSuggestions() {
  suggestions = null;
  show("q-suggestions", false);
  $("q-suggestions").replaceChildren();
  $("q").setAttribute("aria-expanded", "false");
  $("q").removeAttribute("aria-activedescendant");
}

function take(i) {
  const input = $("q");
  const item = suggestions.completion.items[i];
  const next = applyCompletion(input.value, suggestions.completion, item);
  input.value = next.q;
  input.focus();
  input.setSelectionRange(next.caret, next.caret);
  closeSuggestions();
  if (!item.final) suggest(); // a key chosen: its values next
}

function suggestionKeys(ev) {
  if (!suggestions) {
    if (ev.key === "ArrowDown") {
      suggest();
      if (suggestions) {
        ev.preventDefault();
        mark(0);
      }
    }
    return;
  }
  const n = suggestions.completion.items.length;
  if (ev.key === "ArrowDown") {
    ev.preventDefault();
    mark((suggestions.active + 1) % n);
  } else if (ev.key === "ArrowUp") {
    ev.preventDefault();
    mark(suggestions.active <= 0 ? n - 1 : suggestions.active - 1);
  } else if (ev.key === "Escape") {
    ev.preventDefault();
    closeSuggestions();
  } else if ((ev.key === "Enter" || ev.key === "Tab") && suggestions.active >= 0) {
    ev.preventDefault();
    take(suggestions.active);
  }
}
