// Beside the histogram: the top values of the search's range (who acted, events, products, addresses) from
// GET …/events/facets, each with its count; a click adds the value to the search.

import { $, fromTemplate, part, setText, show } from "./dom.js";
import { bucketLabel, formatCount } from "./format.js";
import { state } from "./state.js";

// the answer's lists, the key each value is searched by, and how a value is named
const GROUPS = [
  { list: "actors", key: "actor", name: (v) => v.name || v.value, note: (v) => (v.email ? v.email : v.value) },
  { list: "events", key: "event", name: (v) => v.value, note: (v) => v.category || "" },
  { list: "products", key: "product", name: (v) => v.value, note: () => "" },
  { list: "addresses", key: "ip", name: (v) => v.value || "(none)", note: () => "" },
];

let onPick = () => {};
let latest = null;

// onValue(key, value) is called with the value clicked.
export function wireFacets(onValue) {
  onPick = onValue;
}

// The addresses the facets show, offered as values of ip: while typing.
export function facetValues(key) {
  if (!latest) return [];
  const group = GROUPS.find((g) => g.key === key);
  return group
    ? (latest[group.list] || []).map((v) => ({ value: v.value, note: formatCount(v.count) + " events" }))
    : [];
}

export function clearFacets() {
  latest = null;
  for (const g of GROUPS) $("facet-" + g.list).replaceChildren();
  show("facets", false);
  $("facets").parentElement.classList.remove("with-facets");
}

export function drawFacets(f) {
  latest = f;
  for (const g of GROUPS) {
    const values = (f[g.list] || []).filter((v) => v.value !== "" && v.value !== null);
    const items = values.map((v) => {
      const item = fromTemplate("facet-template", { name: g.name(v), note: g.note(v), count: formatCount(v.count) });
      const button = part(item, "pick");
      button.dataset.key = g.key;
      button.dataset.value = v.value;
      button.setAttribute(
        "aria-label",
        "Search " +
          g.key +
          ":" +
          v.value +
          (g.note(v) ? " (" + g.note(v) + ")" : "") +
          ", " +
          formatCount(v.count) +
          " events",
      );
      button.addEventListener("click", () => onPick(g.key, v.value));
      return item;
    });
    $("facet-" + g.list).replaceChildren(...items);
    show("facet-" + g.list + "-none", items.length === 0);
  }
  setText(
    "facets-note",
    f.complete
      ? ""
      : "Counted from " + (f.countedFrom ? bucketLabel(f.countedFrom, "day", state.tz) : "the newest days") + " on.",
  );
  show("facets-note", !f.complete);
  show("facets", true);
  $("facets").parentElement.classList.add("with-facets");
}
