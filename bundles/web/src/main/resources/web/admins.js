// The holders of the Audit Log Admin privilege: grant, revoke, and the refusals (the last admin stays).

import { call, orgPath, showError } from "./api.js";
import { $, el, fromTemplate, setText, show } from "./dom.js";
import { state } from "./state.js";

export function wireAdmins() {
  $("grant-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const userId = $("grant-member").value;
    if (!userId) return;
    show("admins-error", false);
    try {
      await call("PUT", orgPath("/audit-admins/" + encodeURIComponent(userId)), {});
      setText("admins-status", "The privilege was granted to " + userId + ".");
      await loadAdmins();
    } catch (e) {
      showError("admins-error", e);
    }
  });
}

export async function loadAdmins() {
  let admins;
  let members;
  try {
    [admins, members] = await Promise.all([call("GET", orgPath("/audit-admins")), call("GET", orgPath("/members"))]);
  } catch (e) {
    showError("admins-error", e);
    return;
  }
  state.members = members.members;
  const rows = admins.auditAdmins.map((m) => {
    const row = fromTemplate("admin-row-template", { name: m.name, email: m.email, role: m.role });
    row.dataset.user = m.userId;
    const revoke = row.querySelector("button");
    revoke.setAttribute("aria-label", "Revoke the privilege from " + m.name);
    revoke.addEventListener("click", () => revokeAdmin(m));
    return row;
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
    await call("DELETE", orgPath("/audit-admins/" + encodeURIComponent(m.userId)));
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
