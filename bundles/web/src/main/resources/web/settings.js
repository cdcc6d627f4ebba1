// The audit log settings page, /orgs/{spaceKey}/settings/audit-log: who is signed in, what the plan allows, and
// the page's sections as tabs (the one shown is in the address).

import { describe, call } from "./api.js";
import { loadAdmins, wireAdmins } from "./admins.js";
import { loadArchives, openLink, takeLink, wireArchives, wireDownloadDialog } from "./archives.js";
import { readAddress, TABS } from "./address.js";
import { $, el, setText, show, wireDialogs } from "./dom.js";
import { showView, wireCopy, wireEvents } from "./events.js";
import { loadJobs, wireExport } from "./exports.js";
import { state } from "./state.js";
import { loadStreams, wireStreams } from "./streams.js";
import { currentSession, wireSignIn, wireSignOut } from "./signin.js";
import { commitAddress, view } from "./view.js";

export async function settingsPage() {
  const m = /^\/orgs\/([A-Za-z0-9_-]{1,64})\/settings\/audit-log$/.exec(window.location.pathname);
  state.spaceKey = m ? m[1] : null;
  state.link = takeLink();
  wireDialogs();
  wireCopy();
  wireSignOut();
  wireSignIn(() => {
    show("sign-in", false);
    start();
  });
  wireTabs();
  wireExport();
  wireArchives();
  wireStreams();
  wireAdmins();
  wireEvents();
  wireDownloadDialog();
  const s = await currentSession();
  show("loading", false);
  if (!s) {
    if (state.link) {
      setText("sign-in-reason", "Sign in to open the link from your email; you will come back to it.");
    }
    show("sign-in", true);
    $("token").focus();
    return;
  }
  state.session = s;
  await start();
}

async function start() {
  const s = state.session;
  setText("who", (s.name || s.userId) + " · " + s.spaceKey);
  show("sign-out", true);
  if (s.spaceKey !== state.spaceKey) {
    setText(
      "other-org-text",
      "You are signed in to " +
        s.spaceKey +
        ", and this page is the audit log of " +
        state.spaceKey +
        ". Sign out and sign in with a token of " +
        state.spaceKey +
        " to see it.",
    );
    $("other-org-link").setAttribute("href", s.settingsPath);
    show("other-org", true);
    if (state.link) openLink();
    return;
  }
  try {
    state.org = await call("GET", "/api/v1/orgs/" + state.spaceKey);
  } catch (e) {
    refuse(e.message, e.error);
    return;
  }
  setText("org-name", state.org.name + " (" + state.org.spaceKey + ")");
  document.title = "Audit Log of " + state.org.name + " · Auditlog";
  const use = state.org.allows.auditLog;
  if (!use.allowed) {
    refuse(use.detail, use.rule);
    if (state.link) openLink();
    return;
  }
  const exp = state.org.allows.export;
  state.mayExport = exp.allowed;
  if (!exp.allowed) {
    setText("export-refused-text", exp.detail);
    setText("export-refused-rule", exp.rule);
    show("export-refused", true);
    $("export-button").disabled = true;
    $("export-product").disabled = true;
  }
  // the view the address names; an address of the page's former filters is written again as a search
  const address = readAddress(window.location.search);
  view.q = address.q;
  view.interval = address.interval;
  view.tz = address.tz;
  showTab(address.tab, false);
  commitAddress(false);
  show("content", true);
  $("page-heading").focus();
  try {
    await loadProducts();
  } catch (e) {
    setText("events-status", describe(e));
  }
  await Promise.all([loadJobs(), loadArchives(), loadStreams(), loadAdmins(), showView(address)]);
  // User Timing marks (the browser's performance timeline): when the page has everything it shows, and
  // each time a page of events is in the table; the page benchmark reads them
  performance.mark("auditlog-ready");
  if (state.link) openLink();
  window.addEventListener("popstate", () => {
    const a = readAddress(window.location.search);
    showTab(a.tab, false);
    if (a.q !== view.q || a.interval !== view.interval || (a.tz || null) !== (view.tz || null)) showView(a);
  });
}

function refuse(detail, rule) {
  setText("refused-text", detail);
  setText("refused-rule", rule || "");
  show("refused", true);
}

async function loadProducts() {
  const answer = await call("GET", "/api/v1/products");
  state.products = answer.products.map((p) => p.product).sort();
  for (const p of answer.products) state.catalog[p.product] = p.catalog || {};
  $("export-product").replaceChildren(...state.products.map((p) => el("option", { value: p, text: p })));
  $("archives-product").append(...state.products.map((p) => el("option", { value: p, text: p })));
}

// ---- tabs: the ARIA tabs pattern (arrow keys move between the tabs, one tab stop) ---------------------------------

function tabs() {
  return [...document.querySelectorAll('#tabs [role="tab"]')];
}

function wireTabs() {
  for (const tab of tabs()) {
    tab.addEventListener("click", () => {
      showTab(tab.dataset.tab, true);
    });
    tab.addEventListener("keydown", (ev) => {
      const all = tabs();
      const i = all.indexOf(tab);
      let next = null;
      if (ev.key === "ArrowRight") next = all[(i + 1) % all.length];
      else if (ev.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
      else if (ev.key === "Home") next = all[0];
      else if (ev.key === "End") next = all[all.length - 1];
      if (!next) return;
      ev.preventDefault();
      showTab(next.dataset.tab, true);
      next.focus();
    });
  }
}

function showTab(name, push) {
  const tab = TABS.includes(name) ? name : "events";
  for (const t of tabs()) {
    const selected = t.dataset.tab === tab;
    t.setAttribute("aria-selected", String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !selected;
  }
  if (view.tab !== tab) {
    view.tab = tab;
    commitAddress(push);
  }
}
