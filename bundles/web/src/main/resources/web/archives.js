// Past months (one file per product and month since the organization began, within retention) and the mailed
// links (?download=… and ?archive=…&product=…), which open the download dialog.

import { ApiError, call, describe, orgPath, save, showError, title } from "./api.js";
import { $, downloadIcon, el, fromTemplate, openDialog, part, setText, show } from "./dom.js";
import { formatBytes, formatCount, formatTime, monthName } from "./format.js";
import { state } from "./state.js";

export function wireArchives() {
  $("archives-product").addEventListener("change", renderArchives);
}

export async function loadArchives() {
  try {
    state.archives = (await call("GET", orgPath("/archives"))).archives;
  } catch (e) {
    showError("archives-error", e);
    return;
  }
  renderArchives();
}

// How many events a month's file holds, when the server says.
function eventsText(a) {
  if (typeof a.events !== "number") return "";
  return a.events === 0 ? "none" : formatCount(a.events);
}

function renderArchives() {
  const only = $("archives-product").value;
  const shown = state.archives.filter((a) => !only || a.product === only);
  const rows = shown.map((a) => {
    const empty = a.events === 0;
    const row = fromTemplate("archive-row-template", {
      month: monthName(a.month),
      product: a.product,
      events: eventsText(a),
      file: empty ? "" : a.fileName,
      size: empty ? "" : formatBytes(a.size) || "not built yet",
    });
    row.dataset.archive = a.month + "/" + a.product;
    const action = part(row, "action");
    if (empty) {
      // a month without events: nothing to download, and said so
      row.classList.add("empty");
      action.append(el("span", { className: "no-events", text: "No events this month" }));
    } else {
      const button = el("button", {
        type: "button",
        className: "icon",
        "aria-label": "Download " + a.fileName,
        title: "Download",
        disabled: !state.mayExport,
      });
      button.append(downloadIcon());
      button.addEventListener("click", () => downloadArchive(a, $("archives-error")));
      action.append(button);
    }
    return row;
  });
  $("archives-table").tBodies[0].replaceChildren(...rows);
  show("archives-table", shown.length > 0);
  show("archives-empty", shown.length === 0);
}

async function downloadArchive(a, errorElement) {
  errorElement.hidden = true;
  try {
    const response = await call(
      "GET",
      orgPath("/archives/" + a.month + "/" + encodeURIComponent(a.product)),
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

// Reads a mailed link (?download=… or ?archive=…&product=…) and takes it out of the address bar at once, so it
// stays in no history entry, bookmark or shared address; the rest of the address stays.
export function takeLink() {
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

export function wireDownloadDialog() {
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
          orgPath("/archives/" + link.month + "/" + encodeURIComponent(link.product)),
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

export async function openLink() {
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
          formatTime(info.expires, state.tz) +
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
            " is not among the past months kept for this organization (13 months), or the product is unknown."
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
      (archive.size === null ? "" : " (" + formatBytes(archive.size) + ")") +
      (archive.events === 0 ? ", a month without events." : "."),
  );
  if (!state.mayExport) {
    linkError(new ApiError(403, { error: state.org.allows.export.rule, detail: state.org.allows.export.detail }));
    $("download-button").disabled = true;
  }
}
