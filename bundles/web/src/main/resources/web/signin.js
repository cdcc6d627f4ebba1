// Signing in with a member token (the server keeps it, the browser a session cookie no script can read) and out.

import { ApiError, call, showError } from "./api.js";
import { $, setText, show } from "./dom.js";
import { state } from "./state.js";

export async function currentSession() {
  try {
    return await call("GET", "/api/v1/session");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function wireSignIn(onSignedIn) {
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

export function wireSignOut() {
  for (const b of document.querySelectorAll("[data-sign-out]")) {
    b.addEventListener("click", async () => {
      try {
        await call("DELETE", "/api/v1/session");
      } catch {
        // an ended session is signed out already
      }
      state.session = null;
      window.location.assign("/");
    });
  }
}

// The sign-in page at /.
export async function signInPage() {
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
