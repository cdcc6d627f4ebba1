// The histogram above the events table: one bar per bucket of the search's time range (UTC days or hours), drawn
// from GET …/events/histogram. A bar, or a range of bars (dragged, shift-clicked, or with Shift and the arrow
// keys), sets the search's created: terms. Buckets the server did not count are drawn as such.

import { $, fromTemplate, part, setText, show } from "./dom.js";
import { bucketLabel, formatCount, formatMinute, utcDay } from "./format.js";
import { state } from "./state.js";

const LENGTH = { hour: 3600000, day: 86400000 };
let shown = null; // the last answer drawn
let onSelect = () => {};
let anchor = null; // the bar a range starts at
let dragging = null; // {from, to} while a pointer drags

// onRange(startIso, endIso, interval) is called with the range of the bars chosen.
export function wireHistogram(onRange) {
  onSelect = onRange;
  document.addEventListener("pointerup", () => {
    if (!dragging) return;
    const { from, to } = dragging;
    dragging = null;
    choose(from, to);
  });
}

export function bucketEnd(b, interval) {
  return new Date(Date.parse(b.start) + LENGTH[interval]).toISOString();
}

function label(b, interval) {
  const when = bucketLabel(b.start, interval, state.tz);
  if (b.count === null || b.count === undefined) return when + ": not counted";
  return when + ": " + formatCount(b.count) + (b.count === 1 ? " event" : " events");
}

// No histogram: a message instead (none to say nothing), or no figure at all (a server without counts).
export function clearHistogram(message, absent) {
  shown = null;
  show("histogram", !absent);
  $("histogram-bars").replaceChildren();
  show("histogram-axis", false);
  setText("histogram-summary", message || "");
  show("histogram-note", false);
}

// Draws an answer of …/events/histogram.
export function drawHistogram(h) {
  shown = h;
  show("histogram", true);
  anchor = null;
  const interval = h.interval === "hour" ? "hour" : "day";
  const counted = h.buckets.map((b) => b.count).filter((c) => typeof c === "number");
  const max = Math.max(1, ...counted);
  const bars = h.buckets.map((b, i) => {
    const bar = fromTemplate("bar-template");
    bar.dataset.index = String(i);
    bar.dataset.start = b.start;
    bar.setAttribute("aria-label", label(b, interval));
    bar.tabIndex = i === h.buckets.length - 1 ? 0 : -1;
    const fill = part(bar, "fill");
    if (b.count === null || b.count === undefined) {
      bar.classList.add("uncounted");
    } else {
      // a height through the style object, which the page's Content-Security-Policy allows (no style attribute)
      fill.style.height = b.count === 0 ? "0" : Math.max(2, (100 * b.count) / max) + "%";
      bar.dataset.count = String(b.count);
    }
    bar.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0) return;
      ev.preventDefault();
      bar.focus();
      dragging = { from: i, to: i };
      preview(i, i);
    });
    bar.addEventListener("pointerenter", () => {
      if (!dragging) return;
      dragging.to = i;
      preview(dragging.from, i);
    });
    bar.addEventListener("click", (ev) => {
      // a pointer chose on pointerup; a click from the keyboard (detail 0) chooses here, from the range's start
      // when Shift and the arrows made one
      if (ev.detail !== 0) return;
      choose(anchor !== null ? anchor : i, i);
    });
    bar.addEventListener("keydown", (ev) => keys(ev, i));
    return bar;
  });
  $("histogram-bars").replaceChildren(...bars);
  $("histogram-bars").setAttribute(
    "aria-label",
    (interval === "hour" ? "Events per hour" : "Events per UTC day") +
      ": a bar, or a range with Shift, sets the search's time",
  );
  const first = h.buckets[0];
  const last = h.buckets[h.buckets.length - 1];
  show("histogram-axis", h.buckets.length > 0);
  if (first) {
    setText("axis-first", bucketLabel(first.start, interval, state.tz));
    setText("axis-last", bucketLabel(last.start, interval, state.tz));
  }
  const range = h.buckets.length ? " from " + rangeText(first.start, bucketEnd(last, interval), interval) : "";
  setText(
    "histogram-summary",
    formatCount(h.total) +
      (h.total === 1 ? " event" : " events") +
      (h.complete ? "" : " counted") +
      range +
      (interval === "hour" ? ", per hour." : ", per UTC day."),
  );
  if (!h.complete) {
    setText(
      "histogram-note",
      "The server counted from " +
        (h.countedFrom ? bucketLabel(h.countedFrom, interval, state.tz) : "the newest bars") +
        " on: the older bars, drawn hatched, were not counted. A narrower search, or one by product, category, " +
        "event or actor alone, is counted in full.",
    );
  }
  show("histogram-note", !h.complete);
}

function rangeText(startIso, endIso, interval) {
  if (interval === "hour") return formatMinute(startIso, state.tz) + " to " + formatMinute(endIso, state.tz);
  return utcDay(startIso) + " to " + utcDay(new Date(Date.parse(endIso) - 1).toISOString());
}

// Draws the bars again in the time zone chosen.
export function redrawHistogram() {
  if (shown) drawHistogram(shown);
}

function bars() {
  return [...$("histogram-bars").children];
}

function preview(a, b) {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  bars().forEach((bar, i) => bar.classList.toggle("chosen", i >= lo && i <= hi));
}

function choose(a, b) {
  if (!shown) return;
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const interval = shown.interval === "hour" ? "hour" : "day";
  anchor = null;
  preview(lo, hi);
  onSelect(shown.buckets[lo].start, bucketEnd(shown.buckets[hi], interval), interval);
}

function keys(ev, i) {
  const all = bars();
  let next = null;
  if (ev.key === "ArrowLeft") next = Math.max(0, i - 1);
  else if (ev.key === "ArrowRight") next = Math.min(all.length - 1, i + 1);
  else if (ev.key === "Home") next = 0;
  else if (ev.key === "End") next = all.length - 1;
  else if (ev.key === "Escape") {
    anchor = null;
    preview(-1, -1);
    return;
  } else return;
  ev.preventDefault();
  if (ev.shiftKey) {
    if (anchor === null) anchor = i;
    preview(anchor, next);
  } else {
    anchor = null;
    preview(-1, -1);
  }
  all[i].tabIndex = -1;
  all[next].tabIndex = 0;
  all[next].focus();
}
