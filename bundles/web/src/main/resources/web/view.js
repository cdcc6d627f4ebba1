// The view the address holds (the search, the section, the time zone, the histogram's interval) and writing it
// back to the address bar, so that the address shared opens the same view.

import { writeAddress } from "./address.js";

export const view = { q: "", tab: "events", tz: null, interval: null };

// Writes the view into the address: a new history entry (push) for a new search or section, else in place.
export function commitAddress(push) {
  const url = new URL(window.location.href);
  const search = writeAddress(view, url.search);
  if (search === url.search) return;
  const next = url.pathname + search + url.hash;
  if (push) window.history.pushState(null, "", next);
  else window.history.replaceState(null, "", next);
}
