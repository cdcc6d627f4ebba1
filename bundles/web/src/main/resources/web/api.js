// The REST API under /api/v1, called with the session cookie (which no script can read); changes carry the
// session's CSRF token. No rule of the audit log lives here: a refusal shows the reason and the rule the API gives.

import { $ } from "./dom.js";
import { state } from "./state.js";

const CSRF_HEADER = "X-Auditlog-CSRF";

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || "the server answered " + status);
    this.status = status;
    this.error = body ? body.error : null;
    this.field = body ? body.field : null;
    this.position = body && typeof body.position === "number" ? body.position : null;
  }
}

export async function call(method, path, body, raw) {
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
      } catch {
        data = null;
      }
    }
    throw new ApiError(response.status, data);
  }
  if (raw) return response;
  if (response.status === 204 || !type.startsWith("application/json")) return null;
  return response.json();
}

export function orgPath(rest) {
  return "/api/v1/orgs/" + state.spaceKey + (rest || "");
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
  invalid_query: "The search cannot be read.",
};

export function title(err) {
  return TITLES[err.error] || "";
}

export function describe(err) {
  const t = title(err);
  return (t ? t + " " : "") + err.message + (err.error ? " (rule: " + err.error + ")" : "");
}

export function showError(id, err) {
  const p = $(id);
  p.textContent = describe(err);
  p.hidden = false;
}

// Saves a file answer under the name the server gives it (Content-Disposition).
export async function save(response, fallbackName) {
  const disposition = response.headers.get("Content-Disposition") || "";
  const m = /filename="([^"]+)"/.exec(disposition);
  const name = m ? m[1] : fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}
