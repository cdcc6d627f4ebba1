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
    streams: [],
    streamNotes: {},
    streamsTimer: null,
    streamsVisible: false,
    streamEditing: null,
    streamReplaying: null,
    streamDeleting: null,
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
    await Promise.all([loadJobs(), loadArchives(), loadStreams(), loadAdmins(), loadEventsFromUrl()]);
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

  // ---- streams ---------------------------------------------------------------------------------------------------

  // The destination types this form knows the settings of; a stream of another type (made over the API) is listed
  // and managed, but changed only over the API.
  const STREAM_TYPES = { webhook: "Webhook", syslog: "Syslog", "splunk-hec": "Splunk HEC", s3: "S3" };
  const FACILITIES = (
    "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp ntp audit alert clock " +
    "local0 local1 local2 local3 local4 local5 local6 local7"
  ).split(" ");
  // The form's control for each member the API names in a refusal's "field" ("products[1]" is "products"); the
  // destination's members by its type, as two types may have a member of the same name (a HEC's "host" is not a
  // syslog receiver's).
  const STREAM_FIELDS = {
    name: "stream-name",
    "destination.type": "stream-type",
    "destination.ca": "stream-ca",
    products: "stream-products",
    categories: "stream-categories",
  };
  const DESTINATION_FIELDS = {
    webhook: { url: "stream-url", secret: "stream-secret" },
    syslog: {
      host: "stream-host",
      port: "stream-port",
      tls: "stream-tls",
      relp: "stream-relp",
      facility: "stream-facility",
      hostname: "stream-hostname",
      enterpriseId: "stream-enterprise",
      clientCertificate: "stream-client-cert",
      clientKey: "stream-client-key",
    },
    "splunk-hec": {
      url: "stream-hec-url",
      token: "stream-hec-token",
      index: "stream-hec-index",
      sourcetype: "stream-hec-sourcetype",
      source: "stream-hec-source",
      host: "stream-hec-host",
      ack: "stream-hec-ack",
    },
    s3: {
      bucket: "stream-s3-bucket",
      region: "stream-s3-region",
      endpoint: "stream-s3-endpoint",
      pathStyle: "stream-s3-path-style",
      prefix: "stream-s3-prefix",
      accessKeyId: "stream-s3-access-key",
      secretAccessKey: "stream-s3-secret-key",
    },
  };
  // the destination types without a "ca" member
  const NO_CA = ["s3"];
  const STREAM_REFRESH_MILLIS = 10000;

  function streamFieldId(field, type) {
    if (STREAM_FIELDS[field]) return STREAM_FIELDS[field];
    const members = DESTINATION_FIELDS[type];
    return members && field.startsWith("destination.") ? members[field.slice("destination.".length)] || null : null;
  }

  function streamsPath(id, action) {
    return (
      "/api/v1/orgs/" +
      state.spaceKey +
      "/streams" +
      (id ? "/" + encodeURIComponent(id) : "") +
      (action ? "/" + action : "")
    );
  }

  function wireStreams() {
    $("stream-new").addEventListener("click", () => openStreamForm(null));
    $("stream-type").addEventListener("change", showStreamType);
    $("stream-facility").replaceChildren(...FACILITIES.map((f) => el("option", { value: f, text: f })));
    $("stream-form").addEventListener("submit", saveStream);
    $("stream-dialog").addEventListener("close", () => {
      // nothing typed, a secret above all, stays in the page once the dialog is closed
      $("stream-form").reset();
      state.streamEditing = null;
    });
    $("replay-form").addEventListener("submit", replayStream);
    $("delete-stream-button").addEventListener("click", deleteStream);
    // refreshed every 10 s while the section is on screen and the page is visible
    if ("IntersectionObserver" in window) {
      new IntersectionObserver((entries) => {
        state.streamsVisible = entries.some((e) => e.isIntersecting);
      }).observe($("streams-section"));
    } else {
      state.streamsVisible = true;
    }
  }

  function scheduleStreams() {
    clearTimeout(state.streamsTimer);
    state.streamsTimer = setTimeout(() => {
      if (document.visibilityState === "visible" && state.streamsVisible) loadStreams();
      else scheduleStreams();
    }, STREAM_REFRESH_MILLIS);
  }

  async function loadStreams() {
    clearTimeout(state.streamsTimer);
    let streams;
    try {
      streams = (await call("GET", streamsPath())).streams;
    } catch (e) {
      showError("streams-error", e);
      if (e.status === 403 || e.status === 401) {
        // no longer allowed: nothing of the streams stays on the page
        state.streams = [];
        $("streams-list").replaceChildren();
        show("stream-new", false);
        return;
      }
      scheduleStreams();
      return;
    }
    show("streams-error", false);
    state.streams = streams;
    renderStreams();
    scheduleStreams();
  }

  // Each stream's card is built again only when the stream changed, so a refresh leaves focus where it was; a card
  // that had focus gives it to the same control of its new card.
  function renderStreams() {
    const list = $("streams-list");
    const old = new Map([...list.children].map((c) => [c.dataset.stream, c]));
    const cards = state.streams.map((s) => {
      const key = JSON.stringify(s) + "\u0000" + JSON.stringify(state.streamNotes[s.id] || null) + state.tz;
      const card = old.get(s.id);
      if (card && card.dataset.key === key) return card;
      const fresh = streamCard(s);
      fresh.dataset.key = key;
      if (card) {
        const focused = card.contains(document.activeElement) ? document.activeElement.dataset.action : null;
        card.replaceWith(fresh);
        const again = focused ? fresh.querySelector('[data-action="' + focused + '"]') : null;
        if (again) again.focus();
      }
      return fresh;
    });
    for (const c of [...list.children]) {
      if (!cards.includes(c)) c.remove();
    }
    cards.forEach((c, i) => {
      if (list.children[i] !== c) list.insertBefore(c, list.children[i] || null);
    });
    show("streams-empty", state.streams.length === 0);
  }

  function destinationText(d) {
    if (d.type === "webhook") return d.url || "";
    if (d.type === "syslog") {
      const tls = String(d.tls) !== "false";
      const relp = String(d.relp) === "true";
      return d.host + ":" + d.port + (relp ? ", RELP" : "") + (tls ? " over TLS" : " over plain TCP");
    }
    if (d.type === "splunk-hec") return d.url + (d.index ? ", index " + d.index : "");
    if (d.type === "s3") {
      return (
        "s3://" +
        d.bucket +
        "/" +
        (d.prefix || "") +
        (d.endpoint ? " at " + d.endpoint : " in " + (d.region || "us-east-1"))
      );
    }
    return d.url || d.host || "";
  }

  function pausedByText(by) {
    if (!by) return "";
    if (by.startsWith("user:")) {
      const user = by.slice(5);
      return "by " + (state.session && user === state.session.userId ? "you (" + user + ")" : user);
    }
    if (by === "operator") return "by the operator";
    if (by === "failing") return "after failing for 7 days without a success";
    if (by.startsWith("plan:")) return "while the plan does not let the log out (rule: " + by.slice(5).trim() + ")";
    return "(" + by + ")";
  }

  // an active stream whose attempts fail in some log (retried, not refused for good)
  function retrying(s) {
    return s.state === "active" && s.logs.some((p) => p.failingSince);
  }

  function stateText(s) {
    switch (s.state) {
      case "active":
        return retrying(s) ? "Active: retrying, the destination fails (see Last error)" : "Active: delivering";
      case "paused":
        return "Paused " + pausedByText(s.pausedBy) + "; it keeps its place";
      case "failing":
        return "Failing: the destination refused; tried again at the longest wait";
      case "disabled":
        return "Disabled: the " + s.destination.type + " destination is not installed on the server";
      default:
        return s.state;
    }
  }

  function formatLag(ms) {
    if (ms === null || ms === undefined || ms < 0) return "none yet";
    if (ms < 1000) return ms + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
    const minutes = Math.floor(ms / 60000);
    if (minutes < 60) return minutes + " min " + Math.floor((ms % 60000) / 1000) + " s";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function streamCard(s) {
    const key = "stream-" + s.id.replace(/[^A-Za-z0-9_-]/g, "_");
    const named = (verb) => verb + " the stream " + s.name;
    const button = (action, text, label, handler, secondary) => {
      const b = el("button", {
        type: "button",
        className: secondary === false ? "small" : "secondary small",
        "data-action": action,
        "aria-label": label,
        text,
      });
      b.addEventListener("click", () => handler(s, b));
      return b;
    };
    const paused = s.state === "paused";
    const actions = el(
      "div",
      { className: "stream-actions" },
      // one control that pauses or resumes, so that focus stays on it when the card is built again
      paused
        ? button("toggle", "Resume", named("Resume"), (x) => streamAction(x, "resume"), false)
        : button("toggle", "Pause", named("Pause"), (x) => streamAction(x, "pause")),
      button("test", "Send a test", "Send a test event to the stream " + s.name, testStream),
      STREAM_TYPES[s.destination.type] ? button("edit", "Edit", named("Edit"), (x) => openStreamForm(x)) : null,
      button("replay", "Replay…", named("Replay"), openReplay),
      button("delete", "Delete…", named("Delete"), openDelete),
    );
    const d = s.destination;
    const facts = el(
      "dl",
      { className: "facts" },
      el("dt", { text: "Destination" }),
      el(
        "dd",
        {},
        el("span", { text: (STREAM_TYPES[d.type] || d.type) + ": " }),
        el("span", { className: "file", text: destinationText(d) }),
        d.secrets && d.secrets.length ? el("span", { text: " (secrets set: " + d.secrets.join(", ") + ")" }) : null,
      ),
      el("dt", { text: "Products" }),
      el("dd", { text: s.products.length ? s.products.join(", ") : "All products" }),
      el("dt", { text: "Categories" }),
      el("dd", { text: s.categories.length ? s.categories.join(", ") : "All categories" }),
      el("dt", { text: "State" }),
      el("dd", {
        className: "stream-state state-" + (retrying(s) ? "retrying" : s.state),
        "data-state": s.state,
        text: stateText(s),
      }),
    );
    const note = state.streamNotes[s.id];
    const rows = s.logs.map((p) => {
      const error = p.lastError
        ? el(
            "td",
            { className: "stream-error" },
            timeElement(p.lastError.at),
            " ",
            el("strong", { text: p.lastError.category }),
            ": " + p.lastError.message,
            p.failingSince
              ? el("span", { className: "help block" }, "failing since ", timeElement(p.failingSince))
              : null,
          )
        : el("td", { text: "none" });
      return el(
        "tr",
        { "data-product": p.product },
        el("th", { scope: "row", text: p.product }),
        el("td", { className: "num", text: p.delivered < 0 ? "none yet" : String(p.delivered) }),
        el("td", { className: "num", text: p.backlog.toLocaleString("en") }),
        el("td", { className: "num", text: formatLag(p.lagMillis) }),
        p.lastSuccess ? el("td", { className: "date" }, timeElement(p.lastSuccess)) : el("td", { text: "none yet" }),
        error,
        el("td", {
          className: p.gap ? "stream-gap" : null,
          text: p.gap
            ? "sequences " + p.gap.from + " to " + p.gap.to + " removed by retention before delivery"
            : "none",
        }),
      );
    });
    const table = s.logs.length
      ? el(
          "div",
          { className: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": key + "-logs" },
          el(
            "table",
            { className: "stream-logs" },
            el("caption", {
              id: key + "-logs",
              className: "sr-only",
              text: "Delivery of the stream " + s.name + " per product",
            }),
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                el("th", { scope: "col", text: "Product" }),
                el("th", { scope: "col", text: "Delivered up to (sequence)" }),
                el("th", { scope: "col", text: "Backlog" }),
                el("th", { scope: "col", text: "Lag" }),
                el("th", { scope: "col", text: "Last success" }),
                el("th", { scope: "col", text: "Last error" }),
                el("th", { scope: "col", text: "Gap" }),
              ),
            ),
            el("tbody", {}, ...rows),
          ),
        )
      : el("p", { text: "No events to deliver yet." });
    return el(
      "article",
      { className: "stream", "data-stream": s.id, "aria-labelledby": key + "-name" },
      el("h3", { id: key + "-name", text: s.name }),
      facts,
      table,
      note ? el("p", { className: "stream-note " + note.kind, text: note.text }) : null,
      actions,
    );
  }

  // a message of the API ended as a sentence, once
  function sentence(text) {
    return String(text || "").replace(/[.\s]+$/, "") + ".";
  }

  function streamNote(s, kind, text) {
    state.streamNotes[s.id] = { kind, text };
    setText("streams-status", text);
  }

  async function streamAction(s, action) {
    show("streams-error", false);
    try {
      await call("POST", streamsPath(s.id, action));
      setText("streams-status", "The stream " + s.name + " is " + (action === "pause" ? "paused." : "resumed."));
    } catch (e) {
      showError("streams-error", e);
    }
    await loadStreams();
  }

  async function testStream(s) {
    if (state.streamNotes[s.id] && state.streamNotes[s.id].kind === "pending") return; // one test at a time
    show("streams-error", false);
    streamNote(s, "pending", "Sending a test event…");
    renderStreams();
    try {
      const r = await call("POST", streamsPath(s.id, "test"));
      let text;
      if (r.outcome === "accepted") {
        text = "Test event accepted by the destination.";
      } else if (r.outcome === "retry") {
        text =
          "Test event not delivered: retry (" +
          r.category +
          "): " +
          sentence(r.message) +
          " A stream tries again" +
          (r.retryAfterSeconds !== null && r.retryAfterSeconds !== undefined
            ? ", after the " + r.retryAfterSeconds + " s the destination asked for."
            : " after a wait.");
      } else {
        text =
          "Test event refused (" +
          r.category +
          "): " +
          sentence(r.message) +
          " A stream meeting this refusal is failing until the destination or its settings change.";
      }
      streamNote(s, r.outcome, text);
    } catch (e) {
      delete state.streamNotes[s.id];
      showError("streams-error", e);
    }
    await loadStreams();
  }

  // ---- a stream's form: create and change ----

  function checkboxes(containerId, name, values, checked) {
    const box = $(containerId);
    const all = [...new Set([...values, ...checked])];
    box.replaceChildren(
      ...all.map((v, i) =>
        el(
          "label",
          { className: "check" },
          el("input", {
            type: "checkbox",
            name,
            value: v,
            id: containerId + "-" + i,
            checked: checked.includes(v),
          }),
          " " + v,
        ),
      ),
    );
  }

  function catalogCategories() {
    const categories = new Set();
    for (const catalog of Object.values(state.catalog)) {
      for (const c of Object.keys(catalog)) categories.add(c);
    }
    return [...categories].sort();
  }

  function clearStreamErrors() {
    show("stream-form-error", false);
    const ids = [STREAM_FIELDS, ...Object.values(DESTINATION_FIELDS)].flatMap((fields) => Object.values(fields));
    for (const id of ids) {
      setText(id + "-error", "");
      show(id + "-error", false);
      $(id).removeAttribute("aria-invalid");
    }
  }

  function showStreamType() {
    const type = $("stream-type").value;
    show("stream-webhook", type === "webhook");
    show("stream-syslog", type === "syslog");
    show("stream-splunk-hec", type === "splunk-hec");
    show("stream-s3", type === "s3");
    show("stream-trust", !NO_CA.includes(type));
  }

  function openStreamForm(s) {
    state.streamEditing = s;
    $("stream-form").reset();
    clearStreamErrors();
    const d = s ? s.destination : { type: "webhook" };
    setText("stream-dialog-heading", s ? "Change the stream " + s.name : "New stream");
    setText("stream-save", s ? "Save the changes" : "Create the stream");
    $("stream-name").value = s ? s.name : "";
    $("stream-type").value = d.type;
    $("stream-url").value = d.type === "webhook" ? d.url || "" : "";
    $("stream-ca").value = d.ca || "";
    $("stream-host").value = d.type === "syslog" ? d.host || "" : "";
    $("stream-port").value = d.type === "syslog" ? d.port || "" : "";
    $("stream-tls").checked = d.type !== "syslog" || String(d.tls) !== "false";
    $("stream-relp").checked = d.type === "syslog" && String(d.relp) === "true";
    const facility = d.type === "syslog" && d.facility ? String(d.facility) : "local0";
    if (!FACILITIES.includes(facility)) $("stream-facility").append(el("option", { value: facility, text: facility }));
    $("stream-facility").value = facility;
    $("stream-hostname").value = d.hostname || "";
    $("stream-enterprise").value = d.type === "syslog" && d.enterpriseId ? d.enterpriseId : "";
    $("stream-client-cert").value = d.clientCertificate || "";
    const hec = d.type === "splunk-hec";
    $("stream-hec-url").value = hec ? d.url || "" : "";
    $("stream-hec-index").value = hec ? d.index || "" : "";
    $("stream-hec-sourcetype").value = hec ? d.sourcetype || "" : "";
    $("stream-hec-source").value = hec ? d.source || "" : "";
    $("stream-hec-host").value = hec ? d.host || "" : "";
    $("stream-hec-ack").checked = !hec || String(d.ack) !== "false";
    const s3 = d.type === "s3";
    $("stream-s3-bucket").value = s3 ? d.bucket || "" : "";
    $("stream-s3-region").value = s3 ? d.region || "" : "";
    $("stream-s3-endpoint").value = s3 ? d.endpoint || "" : "";
    $("stream-s3-path-style").checked = s3 && String(d.pathStyle) === "true";
    $("stream-s3-prefix").value = s3 ? d.prefix || "" : "";
    const secrets = (s && s.destination.secrets) || [];
    // a secret stored for this stream's type: its field, left empty, keeps it
    const stored = (type, name) => Boolean(s) && d.type === type && secrets.includes(name);
    setText(
      "stream-secret-help",
      stored("webhook", "secret")
        ? "Leave empty to keep the stored secret (it is never shown); type a new one to replace it."
        : "whsec_ followed by the base64 of 24 to 64 random bytes, for instance from " +
            'echo "whsec_$(head -c 32 /dev/urandom | base64)". Give the receiver the same value; ' +
            "it is stored encrypted and never shown again.",
    );
    setText(
      "stream-client-key-help",
      stored("syslog", "clientKey")
        ? "No file chosen keeps the stored key (it is never shown); choose a file to replace it."
        : "Needed with a client certificate: its private key, unencrypted PKCS#8 " +
            "(-----BEGIN PRIVATE KEY-----). It is stored encrypted and never shown again.",
    );
    setText(
      "stream-hec-token-help",
      stored("splunk-hec", "token")
        ? "Leave empty to keep the stored token (it is never shown); type a new one to replace it."
        : 'The token alone, without "Splunk " (Splunk\'s Settings > Data inputs > HTTP Event Collector). ' +
            "It is stored encrypted and never shown again.",
    );
    setText(
      "stream-s3-access-key-help",
      stored("s3", "accessKeyId")
        ? "Leave empty to keep the stored key ID (it is never shown); type a new one to replace it."
        : "Of a key allowed to write to the bucket. It is stored encrypted and never shown again.",
    );
    setText(
      "stream-s3-secret-key-help",
      stored("s3", "secretAccessKey")
        ? "Leave empty to keep the stored secret key (it is never shown); type a new one to replace it."
        : "The access key's secret. It is stored encrypted and never shown again.",
    );
    checkboxes("stream-products", "products", state.products, s ? s.products : []);
    checkboxes("stream-categories", "categories", catalogCategories(), s ? s.categories : []);
    showStreamType();
    openDialog("stream-dialog");
    $("stream-name").focus();
  }

  function checked(containerId) {
    return [...$(containerId).querySelectorAll("input:checked")].map((i) => i.value);
  }

  function numberOrText(v) {
    return /^[0-9]{1,15}$/.test(v) ? Number(v) : v;
  }

  async function streamBody() {
    const type = $("stream-type").value;
    const destination = { type };
    const put = (member, value) => {
      if (value !== "" && value !== null && value !== undefined) destination[member] = value;
    };
    if (type === "webhook") {
      put("url", $("stream-url").value.trim());
      put("secret", $("stream-secret").value.trim()); // empty in a change: the stored secret stays
    } else if (type === "splunk-hec") {
      put("url", $("stream-hec-url").value.trim());
      put("token", $("stream-hec-token").value.trim()); // empty in a change: the stored token stays
      put("index", $("stream-hec-index").value.trim());
      put("sourcetype", $("stream-hec-sourcetype").value.trim());
      put("source", $("stream-hec-source").value.trim());
      put("host", $("stream-hec-host").value.trim());
      destination.ack = $("stream-hec-ack").checked;
    } else if (type === "s3") {
      put("bucket", $("stream-s3-bucket").value.trim());
      put("region", $("stream-s3-region").value.trim());
      put("endpoint", $("stream-s3-endpoint").value.trim());
      destination.pathStyle = $("stream-s3-path-style").checked;
      put("prefix", $("stream-s3-prefix").value.trim());
      // empty in a change: the stored keys stay
      put("accessKeyId", $("stream-s3-access-key").value.trim());
      put("secretAccessKey", $("stream-s3-secret-key").value.trim());
    } else {
      put("host", $("stream-host").value.trim());
      put("port", numberOrText($("stream-port").value.trim()));
      destination.tls = $("stream-tls").checked;
      destination.relp = $("stream-relp").checked;
      put("facility", $("stream-facility").value);
      put("hostname", $("stream-hostname").value.trim());
      put("enterpriseId", numberOrText($("stream-enterprise").value.trim()));
      put("clientCertificate", $("stream-client-cert").value.trim());
      const key = $("stream-client-key").files[0];
      if (key) put("clientKey", await key.text()); // no file in a change: the stored key stays
    }
    if (!NO_CA.includes(type)) put("ca", $("stream-ca").value.trim());
    return {
      name: $("stream-name").value.trim(),
      destination,
      products: checked("stream-products"),
      categories: checked("stream-categories"),
    };
  }

  // A refusal shown at the control the API's "field" names, focused; else above the form.
  function streamFieldError(e, type) {
    const field = e.field ? e.field.replace(/\[[0-9]+\]$/, "") : null;
    const id = field ? streamFieldId(field, type) : null;
    if (!id || $(id).closest("[hidden]")) {
      showError("stream-form-error", e);
      return;
    }
    setText(id + "-error", e.message + (e.error && e.error !== "invalid_field" ? " (rule: " + e.error + ")" : ""));
    show(id + "-error", true);
    const control = $(id).matches("input, select, textarea") ? $(id) : $(id).querySelector("input");
    if (control === $(id)) control.setAttribute("aria-invalid", "true");
    if (control) control.focus();
  }

  async function saveStream(ev) {
    ev.preventDefault();
    clearStreamErrors();
    const editing = state.streamEditing;
    const button = $("stream-save");
    const type = $("stream-type").value;
    button.disabled = true;
    try {
      const body = await streamBody();
      const saved = editing
        ? await call("PUT", streamsPath(editing.id), body)
        : await call("POST", streamsPath(), body);
      closeDialog("stream-dialog");
      setText("streams-status", "The stream " + saved.name + (editing ? " is changed." : " is created."));
      await loadStreams();
    } catch (e) {
      streamFieldError(e, type);
    } finally {
      button.disabled = false;
    }
  }

  // ---- replay and delete ----

  function openReplay(s) {
    state.streamReplaying = s;
    setText("replay-heading", "Deliver the stream " + s.name + " again");
    setText(
      "replay-text",
      "The stream delivers again, per product, every event dated at or after this time (UTC) that retention " +
        "kept; the destination receives those events a second time.",
    );
    const now = new Date();
    $("replay-from").value =
      now.getUTCFullYear() + "-" + pad(now.getUTCMonth() + 1) + "-" + pad(now.getUTCDate()) + "T00:00:00";
    setText("replay-error", "");
    show("replay-error", false);
    $("replay-from").removeAttribute("aria-invalid");
    openDialog("replay-dialog");
  }

  async function replayStream(ev) {
    ev.preventDefault();
    const s = state.streamReplaying;
    const v = $("replay-from").value;
    const fail = (text) => {
      setText("replay-error", text);
      show("replay-error", true);
      $("replay-from").setAttribute("aria-invalid", "true");
      $("replay-from").focus();
    };
    if (!v) {
      fail("Enter a date and a time (UTC).");
      return;
    }
    // the input has no zone: its value is read as UTC, seconds added when the browser leaves them out
    const from = (v.length === 16 ? v + ":00" : v) + "Z";
    const button = $("replay-button");
    button.disabled = true;
    try {
      await call("POST", streamsPath(s.id, "replay"), { from });
      closeDialog("replay-dialog");
      setText("streams-status", "The stream " + s.name + " delivers again from " + formatTime(from) + ".");
      await loadStreams();
    } catch (e) {
      if (e.field === "from" || !e.field) fail(describe(e));
      else fail(e.field + ": " + describe(e));
    } finally {
      button.disabled = false;
    }
  }

  function openDelete(s) {
    state.streamDeleting = s;
    setText("delete-stream-heading", "Delete the stream " + s.name + "?");
    setText(
      "delete-stream-text",
      "It stops delivering to " +
        destinationText(s.destination) +
        " at once, and its place in the log is lost: a new stream starts again from the oldest event kept.",
    );
    show("delete-stream-error", false);
    openDialog("delete-stream-dialog");
  }

  async function deleteStream() {
    const s = state.streamDeleting;
    const button = $("delete-stream-button");
    button.disabled = true;
    try {
      await call("DELETE", streamsPath(s.id));
      delete state.streamNotes[s.id];
      // the card goes: focus goes back to the section's own button rather than to nothing
      $("delete-stream-dialog").returnFocusTo = $("stream-new");
      closeDialog("delete-stream-dialog");
      setText("streams-status", "The stream " + s.name + " is deleted.");
      await loadStreams();
    } catch (e) {
      showError("delete-stream-error", e);
    } finally {
      button.disabled = false;
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
