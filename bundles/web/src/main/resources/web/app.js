// The sign-in page and the audit log settings page. Everything shown comes from the REST API under /api/v1,
// called with the session cookie (which no script can read); changes carry the session's CSRF token. No rule of
// the audit log lives here: a refusal shows the reason and the rule the API gives.
"use strict";

(function () {
  const CSRF_HEADER = "X-Auditlog-CSRF";
  const state = {
    session: null,
    spaceKey: null,
    org: null,
    products: [],
    catalog: {},
    archives: [],
    link: null,
    jobsTimer: null,
    cursor: null,
    events: [],
    tz: "utc",
    mayExport: false,
  };

  // ---- small helpers ------------------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") e.textContent = v;
      else if (k === "className") e.className = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c);
    }
    return e;
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function setText(id, text) {
    $(id).textContent = text;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.detail) || "the server answered " + status);
      this.status = status;
      this.error = body ? body.error : null;
      this.field = body ? body.field : null;
    }
  }

  async function call(method, path, body, raw) {
    const headers = { Accept: raw ? "*/*" : "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && state.session) headers[CSRF_HEADER] = state.session.csrfToken;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      let data = null;
      if (type.startsWith("application/json")) {
        try {
          data = await response.json();
        } catch (e) {
          data = null;
        }
      }
      throw new ApiError(response.status, data);
    }
    if (raw) return response;
    if (response.status === 204 || !type.startsWith("application/json")) return null;
    return response.json();
  }

  // Words for the refusals a person meets on this page; the API's own sentence follows each.
  const TITLES = {
    unknown_download_link: "This download link is unknown.",
    foreign_download_link: "This download link belongs to another organization.",
    download_link_expired: "This download link has expired.",
    export_file_deleted: "The file of this link has been deleted.",
    link_not_mailed_yet: "This link has not been mailed yet.",
    link_not_delivered: "The mail with this link was never delivered.",
    not_audit_log_admin: "You do not hold the Audit Log Admin privilege.",
    plan_overdue: "The plan is overdue.",
    plan_ended: "The plan has ended.",
    plan_not_activated: "The plan is not activated.",
    license_exceeded: "The organization has more users than its license count.",
    last_admin_holder: "The last admin holding the privilege cannot lose it.",
    guest_cannot_hold: "A guest cannot hold the privilege.",
    unknown_product: "The server does not know this product.",
    audit_unavailable: "The action could not be recorded, so it was not done.",
    member_required: "A member token is needed.",
  };

  function title(err) {
    return TITLES[err.error] || "";
  }

  function describe(err) {
    const t = title(err);
    return (t ? t + " " : "") + err.message + (err.error ? " (rule: " + err.error + ")" : "");
  }

  function showError(id, err) {
    const p = $(id);
    p.textContent = describe(err);
    p.hidden = false;
  }

  function formatBytes(n) {
    if (n === null || n === undefined) return null;
    if (n < 1024) return n + " bytes";
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
    return (n / 1024 / 1024).toFixed(1) + " MiB";
  }

  function pad(n, width) {
    return String(n).padStart(width || 2, "0");
  }

  // A time with its offset: UTC (as the files are), or the browser's time zone.
  function formatTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (state.tz === "local") {
      const off = -d.getTimezoneOffset();
      const sign = off >= 0 ? "+" : "-";
      const abs = Math.abs(off);
      return (
        d.getFullYear() +
        "-" +
        pad(d.getMonth() + 1) +
        "-" +
        pad(d.getDate()) +
        " " +
        pad(d.getHours()) +
        ":" +
        pad(d.getMinutes()) +
        ":" +
        pad(d.getSeconds()) +
        "." +
        pad(d.getMilliseconds(), 3) +
        " " +
        sign +
        pad(Math.floor(abs / 60)) +
        ":" +
        pad(abs % 60)
      );
    }
    return (
      d.getUTCFullYear() +
      "-" +
      pad(d.getUTCMonth() + 1) +
      "-" +
      pad(d.getUTCDate()) +
      " " +
      pad(d.getUTCHours()) +
      ":" +
      pad(d.getUTCMinutes()) +
      ":" +
      pad(d.getUTCSeconds()) +
      "." +
      pad(d.getUTCMilliseconds(), 3) +
      " +00:00"
    );
  }

  function timeElement(iso) {
    return el("time", { datetime: iso, text: formatTime(iso) });
  }

  function monthName(yyyymm) {
    const d = new Date(Date.UTC(Number(yyyymm.slice(0, 4)), Number(yyyymm.slice(4, 6)) - 1, 1));
    return d.toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
  }

  // Saves a file answer under the name the server gives it (Content-Disposition).
  async function save(response, fallbackName) {
    const disposition = response.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(disposition);
    const name = m ? m[1] : fallbackName;
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    return name;
  }

  // ---- dialogs: native modal dialogs (focus stays inside, Escape closes), focus given back on close ------------

  function openDialog(id) {
    const d = $(id);
    d.returnFocusTo = document.activeElement;
    d.showModal();
  }

  function closeDialog(id) {
    const d = $(id);
    if (d.open) d.close();
  }

  function wireDialogs() {
    for (const d of document.querySelectorAll("dialog")) {
      d.addEventListener("close", () => {
        const back = d.returnFocusTo;
        d.returnFocusTo = null;
        if (back && document.contains(back) && typeof back.focus === "function") back.focus();
      });
      for (const b of d.querySelectorAll("[data-close]")) {
        b.addEventListener("click", () => d.close());
      }
    }
  }

  // ---- sign-in and sign-out -------------------------------------------------------------------------------------

  async function currentSession() {
    try {
      return await call("GET", "/api/v1/session");
    } catch (e) {
      if (e.status === 401) return null;
      throw e;
    }
  }

  function wireSignIn(onSignedIn) {
    const form = $("sign-in-form");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      show("sign-in-error", false);
      const token = $("token").value.trim();
      if (!token) {
        $("sign-in-error").textContent = "Enter your member token.";
        show("sign-in-error", true);
        $("token").focus();
        return;
      }
      try {
        state.session = await call("POST", "/api/v1/session", { token });
        $("token").value = "";
        onSignedIn(state.session);
      } catch (e) {
        showError("sign-in-error", e);
        $("token").focus();
      }
    });
  }

  function wireSignOut() {
    for (const b of document.querySelectorAll("[data-sign-out]")) {
      b.addEventListener("click", async () => {
        try {
          await call("DELETE", "/api/v1/session");
        } catch (e) {
          // an ended session is signed out already
        }
        state.session = null;
        window.location.assign("/");
      });
    }
  }

  async function signInPage() {
    wireSignOut();
    wireSignIn((s) => window.location.assign(s.settingsPath));
    const s = await currentSession();
    if (s) {
      state.session = s;
      setText("signed-in-text", "You are signed in as " + (s.name || s.userId) + " of " + s.spaceKey + ".");
      $("signed-in-link").setAttribute("href", s.settingsPath);
      show("signed-in", true);
      show("sign-in-form", false);
    } else {
      $("token").focus();
    }
  }

  // ---- the settings page ---------------------------------------------------------------------------------------

  // Reads a mailed link (?download=… or ?archive=…&product=…) and takes it out of the address bar at once, so it
  // stays in no history entry, bookmark or shared address; the filters of the events table stay.
  function takeLink() {
    const url = new URL(window.location.href);
    const p = url.searchParams;
    let link = null;
    if (p.has("download")) {
      link = { kind: "download", token: p.get("download") };
    } else if (p.has("archive")) {
      link = { kind: "archive", month: p.get("archive"), product: p.get("product") || "" };
      p.delete("product");
    }
    if (link) {
      p.delete("download");
      p.delete("archive");
      url.search = p.toString();
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    return link;
  }

  async function settingsPage() {
    const m = /^\/orgs\/([A-Za-z0-9_-]{1,64})\/settings\/audit-log$/.exec(window.location.pathname);
    state.spaceKey = m ? m[1] : null;
    state.link = takeLink();
    wireDialogs();
    wireSignOut();
    wireSignIn(() => {
      show("sign-in", false);
      start();
    });
    wireExport();
    wireArchives();
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
    start();
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
    show("content", true);
    $("page-heading").focus();
    await loadProducts();
    await Promise.all([loadJobs(), loadArchives(), loadAdmins(), loadEventsFromUrl()]);
    // User Timing marks (the browser's performance timeline): when the page has everything it shows, and
    // each time a page of events is in the table; the page benchmark reads them
    performance.mark("auditlog-ready");
    if (state.link) openLink();
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
    const exportSelect = $("export-product");
    exportSelect.replaceChildren(...state.products.map((p) => el("option", { value: p, text: p })));
    $("archives-product").append(...state.products.map((p) => el("option", { value: p, text: p })));
    $("f-product").append(...state.products.map((p) => el("option", { value: p, text: p })));
    fillCategories();
  }

  // ---- export ----------------------------------------------------------------------------------------------------

  function wireExport() {
    $("export-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const product = $("export-product").value;
      const now = new Date();
      const first = now.getUTCFullYear() + "-" + pad(now.getUTCMonth() + 1) + "-01";
      setText(
        "confirm-export-text",
        "Export the " +
          product +
          " audit log of " +
          state.org.name +
          " from " +
          first +
          " (00:00 UTC) up to now? The file is mailed to you as a download link.",
      );
      show("confirm-export-error", false);
      $("confirm-export").dataset.product = product;
      openDialog("confirm-export");
    });
    $("confirm-export-continue").addEventListener("click", async () => {
      const product = $("confirm-export").dataset.product;
      const button = $("confirm-export-continue");
      button.disabled = true;
      try {
        await call("POST", "/api/v1/orgs/" + state.spaceKey + "/exports", { product });
        const back = $("confirm-export").returnFocusTo;
        $("confirm-export").returnFocusTo = null;
        closeDialog("confirm-export");
        $("export-started").returnFocusTo = back;
        $("export-started").showModal();
        loadJobs();
      } catch (e) {
        showError("confirm-export-error", e);
      } finally {
        button.disabled = false;
      }
    });
  }

  const STATES = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };

  async function loadJobs() {
    clearTimeout(state.jobsTimer);
    let jobs;
    try {
      jobs = (await call("GET", "/api/v1/orgs/" + state.spaceKey + "/exports")).exports;
    } catch (e) {
      setText("jobs-status", describe(e));
      return;
    }
    const body = $("jobs-table").tBodies[0];
    body.replaceChildren(
      ...jobs.map((j) =>
        el(
          "tr",
          { "data-job": String(j.id), "data-state": j.state },
          el("td", {}, timeElement(j.requested)),
          el("td", { text: j.product }),
          el("td", { text: j.from + " – " + j.to }),
          el("td", {
            className: "state state-" + j.state,
            text: STATES[j.state] + (j.failure ? ": " + j.failure : ""),
          }),
          el("td", { className: "num", text: j.rows.toLocaleString("en") }),
          el("td", { text: j.fileName || "" }),
        ),
      ),
    );
    show("jobs-table", jobs.length > 0);
    show("jobs-empty", jobs.length === 0);
    const active = jobs.filter((j) => j.state === "queued" || j.state === "running");
    if (active.length > 0) {
      setText(
        "jobs-status",
        active
          .map((j) => "Export of " + j.product + ": " + STATES[j.state].toLowerCase() + ", " + j.rows + " rows written")
          .join("; "),
      );
      state.jobsTimer = setTimeout(loadJobs, 1500);
    } else if (jobs.length > 0) {
      const j = jobs[0];
      setText(
        "jobs-status",
        "Latest export of " + j.product + ": " + STATES[j.state].toLowerCase() + ", " + j.rows + " rows",
      );
    }
  }

  // ---- past months -------------------------------------------------------------------------------------------------

  function wireArchives() {
    $("archives-product").addEventListener("change", renderArchives);
  }

  async function loadArchives() {
    try {
      state.archives = (await call("GET", "/api/v1/orgs/" + state.spaceKey + "/archives")).archives;
    } catch (e) {
      showError("archives-error", e);
      return;
    }
    renderArchives();
  }

  function downloadIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M7 1h2v7.6l2.8-2.8 1.4 1.4L8 12.4 2.8 7.2l1.4-1.4L7 8.6V1zM2 13h12v2H2z");
    path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  }

  function renderArchives() {
    const only = $("archives-product").value;
    const rows = state.archives
      .filter((a) => !only || a.product === only)
      .map((a) => {
        const button = el("button", {
          type: "button",
          className: "icon",
          "aria-label": "Download " + a.fileName,
          title: "Download",
          disabled: !state.mayExport,
        });
        button.append(downloadIcon());
        button.addEventListener("click", () => downloadArchive(a, $("archives-error")));
        return el(
          "tr",
          { "data-archive": a.month + "/" + a.product },
          el("td", { text: monthName(a.month) }),
          el("td", { text: a.product }),
          el("td", { className: "file", text: a.fileName }),
          el("td", { className: "num", text: formatBytes(a.size) || "not built yet" }),
          el("td", {}, button),
        );
      });
    $("archives-table").tBodies[0].replaceChildren(...rows);
  }

  async function downloadArchive(a, errorElement) {
    errorElement.hidden = true;
    try {
      const response = await call(
        "GET",
        "/api/v1/orgs/" + state.spaceKey + "/archives/" + a.month + "/" + encodeURIComponent(a.product),
        undefined,
        true,
      );
      const name = await save(response, a.fileName);
      loadArchives();
      return name;
    } catch (e) {
      errorElement.textContent = describe(e);
      errorElement.hidden = false;
      return null;
    }
  }

  // ---- the mailed links ------------------------------------------------------------------------------------------

  function wireDownloadDialog() {
    $("download-button").addEventListener("click", async () => {
      const link = state.link;
      if (!link) return;
      const button = $("download-button");
      button.disabled = true;
      show("download-error", false);
      try {
        let response;
        if (link.kind === "download") {
          response = await call("POST", "/api/v1/downloads", { token: link.token }, true);
        } else {
          response = await call(
            "GET",
            "/api/v1/orgs/" + state.spaceKey + "/archives/" + link.month + "/" + encodeURIComponent(link.product),
            undefined,
            true,
          );
        }
        const name = await save(response, link.fileName || "auditlog.zip");
        setText("download-status", name + " is downloaded.");
      } catch (e) {
        linkError(e);
      } finally {
        button.disabled = false;
      }
    });
  }

  function linkError(e) {
    setText("download-error-title", title(e) || "The file cannot be downloaded.");
    setText("download-error-text", e.message);
    setText("download-error-rule", e.error || String(e.status));
    show("download-error", true);
  }

  async function openLink() {
    const link = state.link;
    setText("download-status", "");
    show("download-error", false);
    $("download-button").disabled = false;
    if (link.kind === "download") {
      setText("download-heading", "Download the exported audit log");
      setText("download-text", "Checking the link from your email…");
      openDialog("download-dialog");
      try {
        const info = await call("POST", "/api/v1/downloads/check", { token: link.token });
        link.fileName = info.fileName;
        setText(
          "download-text",
          info.fileName +
            " (" +
            formatBytes(info.size) +
            "), exported for " +
            info.spaceKey +
            ". The link works until " +
            formatTime(info.expires) +
            ".",
        );
      } catch (e) {
        setText("download-text", "The link from your email cannot be used.");
        linkError(e);
        $("download-button").disabled = true;
      }
      return;
    }
    setText("download-heading", "Download a past month");
    openDialog("download-dialog");
    const valid = /^[0-9]{6}$/.test(link.month) && /^[A-Za-z][A-Za-z0-9]{0,31}$/.test(link.product);
    const archive = valid ? state.archives.find((a) => a.month === link.month && a.product === link.product) : null;
    if (!archive) {
      setText("download-text", "The link from your email cannot be used.");
      linkError(
        new ApiError(404, {
          error: valid ? "not_within_retention" : "invalid_field",
          detail: valid
            ? "The " +
              link.product +
              " audit log of " +
              monthName(link.month) +
              " is not among the past " +
              "months kept for this organization (13 months), or the product is unknown."
            : "The link does not name a month (YYYYMM) and a product.",
        }),
      );
      $("download-button").disabled = true;
      return;
    }
    link.fileName = archive.fileName;
    setText(
      "download-text",
      archive.fileName +
        ": the " +
        archive.product +
        " audit log of " +
        monthName(archive.month) +
        (archive.size === null ? "." : " (" + formatBytes(archive.size) + ")."),
    );
    if (!state.mayExport) {
      linkError(new ApiError(403, { error: state.org.allows.export.rule, detail: state.org.allows.export.detail }));
      $("download-button").disabled = true;
    }
  }

  // ---- Audit Log Admins ------------------------------------------------------------------------------------------

  function wireAdmins() {
    $("grant-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const userId = $("grant-member").value;
      if (!userId) return;
      show("admins-error", false);
      try {
        await call("PUT", "/api/v1/orgs/" + state.spaceKey + "/audit-admins/" + encodeURIComponent(userId), {});
        setText("admins-status", "The privilege was granted to " + userId + ".");
        await loadAdmins();
      } catch (e) {
        showError("admins-error", e);
      }
    });
  }

  async function loadAdmins() {
    let admins;
    let members;
    try {
      [admins, members] = await Promise.all([
        call("GET", "/api/v1/orgs/" + state.spaceKey + "/audit-admins"),
        call("GET", "/api/v1/orgs/" + state.spaceKey + "/members"),
      ]);
    } catch (e) {
      showError("admins-error", e);
      return;
    }
    const rows = admins.auditAdmins.map((m) => {
      const revoke = el("button", {
        type: "button",
        className: "secondary small",
        "aria-label": "Revoke the privilege from " + m.name,
        text: "Revoke",
      });
      revoke.addEventListener("click", () => revokeAdmin(m));
      return el(
        "tr",
        { "data-user": m.userId },
        el("td", { text: m.name }),
        el("td", { text: m.email }),
        el("td", { text: m.role }),
        el("td", {}, revoke),
      );
    });
    $("admins-table").tBodies[0].replaceChildren(...rows);
    // guests cannot hold the privilege, so they are not offered
    const candidates = members.members.filter((m) => !m.auditLogAdmin && m.role !== "guest");
    $("grant-member").replaceChildren(
      ...candidates.map((m) => el("option", { value: m.userId, text: m.name + " (" + m.email + ", " + m.role + ")" })),
    );
    show("grant-form", candidates.length > 0);
    show("grant-none", candidates.length === 0);
  }

  async function revokeAdmin(m) {
    show("admins-error", false);
    try {
      await call("DELETE", "/api/v1/orgs/" + state.spaceKey + "/audit-admins/" + encodeURIComponent(m.userId));
      setText("admins-status", "The privilege was revoked from " + m.name + ".");
      if (m.userId === state.session.userId) {
        window.location.reload(); // no longer an Audit Log Admin: the page says so
        return;
      }
      await loadAdmins();
    } catch (e) {
      showError("admins-error", e);
      $("admins-error").focus();
    }
  }

  // ---- events ----------------------------------------------------------------------------------------------------

  const FILTERS = ["product", "category", "event", "user", "from", "to"];

  function fillCategories() {
    const product = $("f-product").value;
    const categories = new Set();
    const events = new Set();
    for (const [p, catalog] of Object.entries(state.catalog)) {
      if (product && p !== product) continue;
      for (const [category, names] of Object.entries(catalog)) {
        categories.add(category);
        for (const n of names) events.add(n);
      }
    }
    const select = $("f-category");
    const current = select.value;
    select.replaceChildren(
      el("option", { value: "", text: "Any category" }),
      ...[...categories].sort().map((c) => el("option", { value: c, text: c })),
    );
    if (current && !categories.has(current)) select.append(el("option", { value: current, text: current }));
    select.value = current;
    $("f-event-list").replaceChildren(...[...events].sort().map((n) => el("option", { value: n })));
  }

  function wireEvents() {
    $("f-product").addEventListener("change", fillCategories);
    $("events-filter").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const url = new URL(window.location.href);
      for (const f of FILTERS) {
        const v = $("f-" + f).value.trim();
        if (v) url.searchParams.set(f, v);
        else url.searchParams.delete(f);
      }
      window.history.pushState(null, "", url.pathname + url.search);
      loadEvents(true);
    });
    $("events-clear").addEventListener("click", () => {
      for (const f of FILTERS) $("f-" + f).value = "";
      fillCategories();
      const url = new URL(window.location.href);
      for (const f of FILTERS) url.searchParams.delete(f);
      window.history.pushState(null, "", url.pathname + url.search);
      loadEvents(true);
    });
    $("events-more").addEventListener("click", () => loadEvents(false));
    for (const r of document.querySelectorAll('input[name="tz"]')) {
      r.addEventListener("change", () => {
        state.tz = $("tz-local").checked ? "local" : "utc";
        const url = new URL(window.location.href);
        if (state.tz === "local") url.searchParams.set("tz", "local");
        else url.searchParams.delete("tz");
        window.history.replaceState(null, "", url.pathname + url.search);
        for (const t of document.querySelectorAll("time[datetime]"))
          t.textContent = formatTime(t.getAttribute("datetime"));
      });
    }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) setText("tz-local-label", "this browser's time zone (" + zone + ")");
    window.addEventListener("popstate", () => {
      if (state.org && state.org.allows.auditLog.allowed) loadEventsFromUrl();
    });
  }

  function loadEventsFromUrl() {
    const p = new URL(window.location.href).searchParams;
    state.tz = p.get("tz") === "local" ? "local" : "utc";
    $("tz-local").checked = state.tz === "local";
    $("tz-utc").checked = state.tz !== "local";
    $("f-product").value = p.get("product") || "";
    if (p.get("product") && $("f-product").value !== p.get("product")) {
      $("f-product").append(el("option", { value: p.get("product"), text: p.get("product") }));
      $("f-product").value = p.get("product");
    }
    fillCategories();
    for (const f of FILTERS) {
      if (f !== "product" && f !== "category") $("f-" + f).value = p.get(f) || "";
    }
    const category = p.get("category") || "";
    if (category && ![...$("f-category").options].some((o) => o.value === category)) {
      $("f-category").append(el("option", { value: category, text: category }));
    }
    $("f-category").value = category;
    return loadEvents(true);
  }

  async function loadEvents(fresh) {
    show("events-error", false);
    const query = new URLSearchParams();
    for (const f of FILTERS) {
      const v = $("f-" + f).value.trim();
      if (!v) continue;
      if (f === "to") {
        // the API's "to" is exclusive and a date means the end of that day, UTC: the day shown is included
        query.set("to", v);
      } else {
        query.set(f, v);
      }
    }
    query.set("limit", "50");
    if (!fresh && state.cursor) query.set("cursor", state.cursor);
    setText("events-status", "Loading events…");
    let page;
    try {
      page = await call("GET", "/api/v1/orgs/" + state.spaceKey + "/events?" + query.toString());
    } catch (e) {
      showError("events-error", e);
      setText("events-status", "");
      performance.mark("auditlog-events");
      return;
    }
    if (fresh) {
      state.events = [];
      $("events-table").tBodies[0].replaceChildren();
    }
    state.cursor = page.nextCursor;
    const body = $("events-table").tBodies[0];
    for (const e of page.events) {
      state.events.push(e);
      const details = el("button", {
        type: "button",
        className: "secondary small",
        "aria-label": "Details of the event " + e.event + " at " + e.date,
        text: "Details",
      });
      details.addEventListener("click", () => showEvent(e));
      body.append(
        el(
          "tr",
          { "data-id": e.id },
          el("td", { className: "date" }, timeElement(e.date)),
          el("td", { text: e.product }),
          el("td", { text: e.category }),
          el("td", { text: e.event }),
          el("td", { className: "action", text: e.action }),
          el("td", {
            text: e.operation_user_name + (e.operation_user_email ? " <" + e.operation_user_email + ">" : ""),
          }),
          el("td", {}, details),
        ),
      );
    }
    show("events-more", Boolean(page.nextCursor));
    let status =
      state.events.length === 0
        ? "No events match."
        : state.events.length + " events shown" + (page.nextCursor ? "; more are available." : "; that is all.");
    if (page.searchedBackTo) status += " Searched back to " + formatTime(page.searchedBackTo) + ".";
    setText("events-status", status);
    performance.mark("auditlog-events");
  }

  function showEvent(e) {
    setText("event-heading", e.event + " · " + formatTime(e.date));
    setText("event-json", JSON.stringify(e, null, 2));
    setText("copy-status", "");
    openDialog("event-dialog");
  }

  function wireCopy() {
    $("copy-json").addEventListener("click", async () => {
      const text = $("event-json").textContent;
      try {
        await navigator.clipboard.writeText(text);
        setText("copy-status", "The JSON is copied.");
      } catch (err) {
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

  // ---- start -----------------------------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    const page = document.body.dataset.page;
    const failed = (e) => {
      const p = $("sign-in-error") || $("loading");
      if (p) {
        p.textContent = "The page could not load: " + e.message;
        p.hidden = false;
      }
    };
    if (page === "sign-in") {
      signInPage().catch(failed);
    } else if (page === "settings") {
      wireCopy();
      settingsPage().catch(failed);
    }
  });
})();
