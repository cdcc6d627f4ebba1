// Export of this month (two confirmations) and the export jobs' progress.

import { call, describe, orgPath, showError } from "./api.js";
import { $, closeDialog, el, fromTemplate, openDialog, part, setText, show } from "./dom.js";
import { formatTime, pad } from "./format.js";
import { state } from "./state.js";

const STATES = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };
let jobsTimer = null;

export function wireExport() {
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
      await call("POST", orgPath("/exports"), { product });
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

export async function loadJobs() {
  clearTimeout(jobsTimer);
  let jobs;
  try {
    jobs = (await call("GET", orgPath("/exports"))).exports;
  } catch (e) {
    setText("jobs-status", describe(e));
    return;
  }
  $("jobs-table").tBodies[0].replaceChildren(
    ...jobs.map((j) => {
      const row = fromTemplate("job-row-template", {
        product: j.product,
        period: j.from + " – " + j.to,
        state: STATES[j.state] + (j.failure ? ": " + j.failure : ""),
        rows: j.rows.toLocaleString("en"),
        file: j.fileName || "",
      });
      row.dataset.job = String(j.id);
      row.dataset.state = j.state;
      part(row, "state").classList.add("state-" + j.state);
      part(row, "requested").append(el("time", { datetime: j.requested, text: formatTime(j.requested, state.tz) }));
      return row;
    }),
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
    jobsTimer = setTimeout(loadJobs, 1500);
  } else if (jobs.length > 0) {
    const j = jobs[0];
    setText(
      "jobs-status",
      "Latest export of " + j.product + ": " + STATES[j.state].toLowerCase() + ", " + j.rows + " rows",
    );
  }
}
